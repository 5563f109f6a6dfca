/// Renders plans for people (`terraform plan`-like text) and for programs (JSON, see
/// `docs/plan-format.md`).
public enum PlanRenderer {
    /// Text like `terraform plan`: one block per change with `+ ~ -/+ -`, the reason, the field-level
    /// before → after, and a summary line. ANSI colour when `colour` is true.
    public static func text(_ plan: Plan, colour: Bool = false) -> String {
        let paint = Painter(enabled: colour)
        var out = "Plan for environment \(plan.environment) at revision \(shortRevision(plan.revision))\n"
        if plan.changes.isEmpty && plan.detectedDrift.isEmpty {
            out += "\nNo changes. \(plan.unchanged.count) resource(s) in sync.\n"
        }
        for change in plan.changes {
            out += "\n" + block(change, paint: paint)
        }
        if !plan.detectedDrift.isEmpty {
            out += "\nDrift detected and not corrected (policy: detect only):\n"
            for change in plan.detectedDrift {
                out += "\n" + block(change, paint: paint)
            }
        }
        if !plan.orphaned.isEmpty {
            out += "\nOwned but no longer in the manifests (kept, prune is off): "
            out += plan.orphaned.map(\.description).joined(separator: ", ") + "\n"
        }
        if !plan.changes.isEmpty {
            out += "\n" + paint.bold("Plan: \(plan.summary).") + "\n"
        }
        return out
    }

    private static func block(_ change: Change, paint: Painter) -> String {
        let symbol: String
        switch change.action {
        case .create: symbol = paint.green("+")
        case .update: symbol = paint.yellow("~")
        case .replace: symbol = paint.red("-/+")
        case .delete: symbol = paint.red("-")
        }
        var header = "  \(symbol) \(change.resource) (\(change.reason.rawValue))"
        if change.disruptive { header += " " + paint.red("[disruptive]") }
        var lines = [header]
        for field in change.fields {
            let before = field.before?.description ?? "(none)"
            let after = field.after?.description ?? "(none)"
            var line = "      \(field.path): \(before) → \(after)"
            if field.effect != .inPlace && change.action != .create {
                line += "  (\(field.effect == .replace ? "forces replacement" : "disruptive"))"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The first 12 characters of a revision, as plans and logs show it.
    public static func shortRevision(_ revision: String) -> String {
        revision.count > 12 ? String(revision.prefix(12)) : revision
    }

    private struct Painter {
        var enabled: Bool
        func wrap(_ code: String, _ text: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func green(_ text: String) -> String { wrap("32", text) }
        func yellow(_ text: String) -> String { wrap("33", text) }
        func red(_ text: String) -> String { wrap("31", text) }
        func bold(_ text: String) -> String { wrap("1", text) }
    }
}
