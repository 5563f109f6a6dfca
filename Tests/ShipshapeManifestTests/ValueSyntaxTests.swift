import Testing
@testable import ShipshapeManifest

@Suite("Value syntax")
struct ValueSyntaxTests {
    @Test("image references split into registry, repository, tag and digest")
    func imageReferences() throws {
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let cases: [(String, ImageReference)] = [
            ("nginx", ImageReference(repository: "nginx")),
            ("nginx:1.25", ImageReference(repository: "nginx", tag: "1.25")),
            ("library/nginx:1.25", ImageReference(repository: "library/nginx", tag: "1.25")),
            ("localhost/app", ImageReference(registry: "localhost", repository: "app")),
            ("localhost:5000/app:2", ImageReference(registry: "localhost:5000", repository: "app", tag: "2")),
            ("127.0.0.1:5000/community-api", ImageReference(registry: "127.0.0.1:5000", repository: "community-api")),
            ("[::1]:5000/app", ImageReference(registry: "[::1]:5000", repository: "app")),
            ("ghcr.io/org/team/app_x__y.z-w:v1", ImageReference(registry: "ghcr.io", repository: "org/team/app_x__y.z-w", tag: "v1")),
            ("app@\(digest)", ImageReference(repository: "app", digest: digest)),
            ("app:1@\(digest)", ImageReference(repository: "app", tag: "1", digest: digest)),
        ]
        for (text, expected) in cases {
            let parsed = try ImageReference(parsing: text)
            #expect(parsed == expected, "\(text)")
            #expect(parsed.description == text, "\(text) does not print back")
        }
        for bad in ["", "App", "app:", "app@sha256:00", "-app", "app-", "a//b", "host:0/app", "[::g]:5000/app", "app:tag with space", "a..b"] {
            #expect(throws: ImageReference.ParseError.self, "\(bad)") { try ImageReference(parsing: bad) }
        }
    }

    @Test("IPv4 and IPv6 addresses and CIDR blocks")
    func addresses() {
        for good in ["0.0.0.0", "10.0.0.1", "255.255.255.255", "127.0.0.1"] { #expect(IPAddress.isIPv4(good), "\(good)") }
        for bad in ["256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", "a.b.c.d", ""] { #expect(!IPAddress.isIPv4(bad), "\(bad)") }
        for good in ["::", "::1", "2001:db8::", "2001:db8::1:2", "fe80::1:2:3:4:5:6", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1", "2001:DB8::A"] {
            #expect(IPAddress.isIPv6(good), "\(good)")
        }
        for bad in [":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "g::", "1:2:3:4:5:6:7", "::1.2.3", ":1::", ""] {
            #expect(!IPAddress.isIPv6(bad), "\(bad)")
        }
        #expect(IPAddress.cidrProblem("10.0.0.0/8", version6: false) == nil)
        #expect(IPAddress.cidrProblem("0.0.0.0/0", version6: false) == nil)
        #expect(IPAddress.cidrProblem("10.1.2.3/32", version6: false) == nil)
        #expect(IPAddress.cidrProblem("10.1.2.3/24", version6: false)?.suggestion == "10.1.2.0/24")
        #expect(IPAddress.cidrProblem("::/0", version6: true) == nil)
        #expect(IPAddress.cidrProblem("2001:db8::1/128", version6: true) == nil)
        #expect(IPAddress.cidrProblem("2001:db8:0:1::/48", version6: true)?.suggestion == "2001:db8::/48")
        #expect(IPAddress.cidrProblem("10.0.0.0/8", version6: true) != nil)
        #expect(IPAddress.cidrProblem("10.0.0.0/-1", version6: false) != nil)
        #expect(IPAddress.formatIPv6([UInt8](repeating: 0, count: 15) + [1]) == "::1")
        #expect(IPAddress.formatIPv6([0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 12)) == "2001:db8::")
    }

    @Test("ports and port ranges")
    func ports() throws {
        #expect(try PortSyntax.parse("127.0.0.1:18080:8080").get() == PortMapping(hostIP: "127.0.0.1", hostPort: 18080, containerPort: 8080))
        #expect(try PortSyntax.parse("53:53/udp").get() == PortMapping(hostPort: 53, containerPort: 53, protocol: .udp))
        #expect(try PortSyntax.parse("[::1]:8443:443").get() == PortMapping(hostIP: "::1", hostPort: 8443, containerPort: 443))
        #expect(try PortSyntax.parse("9090").get() == PortMapping(hostPort: 9090, containerPort: 9090))
        for bad in ["0", "65536", "1:2:3:4", "+80", "80:", ":80", "[::1]8080:80", "x:80", "80/tcp/udp"] {
            #expect((try? PortSyntax.parse(bad).get()) == nil, "\(bad)")
        }
        #expect(PortRangeSyntax.parse("443") == 443...443)
        #expect(PortRangeSyntax.parse("1-65535") == 1...65535)
        #expect(PortRangeSyntax.parse("2-1") == nil)
        #expect(PortRangeSyntax.parse("1-2-3") == nil)
    }

    @Test("durations and memory sizes parse and print canonically")
    func durationsAndMemory() {
        #expect(DurationSyntax.parse("1h30m") == .seconds(5400))
        #expect(DurationSyntax.parse("500ms") == .milliseconds(500))
        #expect(DurationSyntax.parse("1m30s250ms") == .milliseconds(90_250))
        for bad in ["", "30", "s", "1d", "1.5s", "-1s", "1 s", "99999999999s"] { #expect(DurationSyntax.parse(bad) == nil, "\(bad)") }
        #expect(DurationSyntax.format(.seconds(5400)) == "1h30m")
        #expect(DurationSyntax.format(.milliseconds(90_250)) == "1m30s250ms")
        #expect(DurationSyntax.format(.zero) == "0s")
        #expect(MemorySyntax.parse("512m") == 512 << 20)
        #expect(MemorySyntax.parse("2Gi") == 2 << 30)
        #expect(MemorySyntax.parse("1536KiB") == 1536 << 10)
        #expect(MemorySyntax.parse("99999999999999g") == nil)
        #expect(MemorySyntax.format(1536 << 10) == "1536k")
        #expect(MemorySyntax.format(3 << 30) == "3g")
    }

    @Test("cron schedules match like cron")
    func cron() throws {
        let sunday2am = try CronSchedule.parse("0 2 * * sun").get()
        #expect(sunday2am.matches(minute: 0, hour: 2, day: 29, month: 11, weekday: 0))
        #expect(!sunday2am.matches(minute: 1, hour: 2, day: 29, month: 11, weekday: 0))
        #expect(!sunday2am.matches(minute: 0, hour: 2, day: 30, month: 11, weekday: 1))
        let steps = try CronSchedule.parse("*/15 9-17/4 1,15 jan-mar 7").get()
        #expect(steps.minutes == [0, 15, 30, 45])
        #expect(steps.hours == [9, 13, 17])
        #expect(steps.daysOfMonth == [1, 15])
        #expect(steps.months == [1, 2, 3])
        #expect(steps.daysOfWeek == [0])
        // Both day fields restricted: either matches (cron's rule).
        #expect(steps.matches(minute: 0, hour: 9, day: 2, month: 1, weekday: 0))
        #expect(steps.matches(minute: 0, hour: 9, day: 15, month: 1, weekday: 3))
        #expect(!steps.matches(minute: 0, hour: 9, day: 2, month: 1, weekday: 3))
        for bad in ["* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "5-1 * * * *", "*/0 * * * *", "x * * * *"] {
            #expect((try? CronSchedule.parse(bad).get()) == nil, "\(bad)")
        }
    }

    @Test("weekly windows, instance types, DB classes and identifiers")
    func awsSyntax() {
        #expect(WeeklyWindow(parsing: "sat:23:30-sun:00:30")?.duration == .seconds(3600))
        #expect(WeeklyWindow(parsing: "sun:23:30-mon:00:15")?.duration == .seconds(2700))
        #expect(WeeklyWindow(parsing: "mon:00:00-mon:00:00")?.duration == .zero)
        #expect(WeeklyWindow(parsing: "Sun:03:00-sun:04:00") == nil)
        #expect(WeeklyWindow(parsing: "sun:3:00-sun:04:00") == nil)
        for good in ["t3.small", "m6gd.16xlarge", "u-6tb1.metal", "c5.metal", "m7i.metal-24xl", "t4g.nano"] {
            #expect(ResourceClassSyntax.isInstanceType(good), "\(good)")
        }
        for bad in ["t3", "t.small", "T3.small", "t3.Small", "t3.0xlarge", "t3.1000xlarge", "t3-.small", "t3.small.x"] {
            #expect(!ResourceClassSyntax.isInstanceType(bad), "\(bad)")
        }
        #expect(ResourceClassSyntax.isDBInstanceClass("db.t3.micro"))
        #expect(!ResourceClassSyntax.isDBInstanceClass("db.t3.nano"))
        #expect(ResourceClassSyntax.isDBIdentifier("community-db"))
        for bad in ["2db", "db--x", "db-", "", String(repeating: "a", count: 64), "db_x"] {
            #expect(!ResourceClassSyntax.isDBIdentifier(bad), "\(bad)")
        }
        #expect(ARNSyntax.isTargetGroup("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"))
        #expect(!ARNSyntax.isTargetGroup("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef"))
        #expect(NameSyntax.isAWSRegion("us-gov-west-1") && NameSyntax.isAWSRegion("ap-northeast-2"))
        #expect(!NameSyntax.isAWSRegion("us-east") && !NameSyntax.isAWSRegion("US-EAST-1"))
    }
}
