/// Where the executor records the changes it carries out, so that a controller killed in the middle
/// of an apply knows afterwards which changes were cut short.
///
/// The executor calls `changeStarting(_:)` before a change's provider is called, and starts the change
/// only when the record returned without error (a change that cannot be recorded is not started);
/// it calls `changeEnded(_:outcome:)` when the provider returns. An implementation makes each record
/// durable before it returns (the controller's writes a file in the state directory and syncs it).
/// The executor itself does no file I/O: what a record is and where it goes belongs to the caller.
public protocol ApplyJournal: Sendable {
    /// `change` is about to start.
    func changeStarting(_ change: Change) async throws
    /// `change` ended with `outcome`. A failure to record this is the implementation's to report;
    /// the apply goes on (the record then over-reports the change as in flight, which is safe).
    func changeEnded(_ change: Change, outcome: ChangeOutcome) async
}
