/// When disruptive changes may run: a cron schedule opening the window, and its length.
public struct MaintenanceSchedule: Sendable, Hashable {
    /// When the window opens (UTC).
    public var schedule: CronSchedule
    /// How long it stays open.
    public var duration: Duration

    /// Creates a maintenance schedule.
    public init(schedule: CronSchedule, duration: Duration) {
        self.schedule = schedule
        self.duration = duration
    }
}
