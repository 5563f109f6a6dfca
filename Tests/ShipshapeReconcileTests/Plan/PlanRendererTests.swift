import Foundation
import ShipshapeReconcile
import Testing

@Suite("Plan rendering")
struct PlanRendererTests {
    let plan: Plan = {
        let id = ResourceID(.service, "api")
        let desired = DesiredResource(
            id: id,
            attributes: [
                "image": .string("registry/api:1.0.1"),
                "env": .map(["DB_PASSWORD": .sensitive(fingerprint: "f2"), "MODE": .string("prod")]),
            ],
            fieldEffects: ["image": .replace],
            payload: "api"
        )
        let live = LiveResource(
            id: id,
            attributes: [
                "image": .string("registry/api:1.0.0"),
                "env": .map(["DB_PASSWORD": .sensitive(fingerprint: "f1"), "MODE": .string("prod")]),
            ],
            owned: true,
            payload: "api"
        )
        return Planner.plan(desired: [desired], live: [id: live], inputs: .init(environment: "prod", revision: String(repeating: "a", count: 40)))
    }()

    @Test("text shows symbol, reason, before → after and a summary, and masks secrets")
    func text() {
        let text = PlanRenderer.text(plan)
        #expect(text.contains("-/+ service/api (new-revision)"))
        #expect(text.contains("image: \"registry/api:1.0.0\" → \"registry/api:1.0.1\"  (forces replacement)"))
        #expect(text.contains("DB_PASSWORD: (sensitive)"))
        #expect(!text.contains("f1") && !text.contains("f2"))
        #expect(text.contains("Plan: 0 to create, 0 to update, 1 to replace, 0 to delete."))
        #expect(text.contains("aaaaaaaaaaaa") && !text.contains(String(repeating: "a", count: 13)))
        #expect(!text.contains("\u{1B}["))
        #expect(PlanRenderer.text(plan, colour: true).contains("\u{1B}[31m-/+\u{1B}[0m"))
    }

    @Test("JSON carries the stable fields and masks secrets")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(PlanDocument(plan)), as: UTF8.self)
        #expect(text.contains("\"formatVersion\":1"))
        #expect(text.contains("\"action\":\"replace\""))
        #expect(text.contains("\"resource\":\"service\\/api\""))
        #expect(text.contains("\"DB_PASSWORD\":\"(sensitive)\""))
        #expect(!text.contains("f1") && !text.contains("f2"))
        #expect(text.contains("\"summary\":{\"create\":0,\"delete\":0,\"replace\":1,\"update\":0}"))
    }
}
