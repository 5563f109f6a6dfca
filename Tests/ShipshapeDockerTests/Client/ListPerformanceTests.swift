import Foundation
import ShipshapeDocker
import ShipshapeTesting
import Testing

@Suite("Listing cost with many containers (measured, not timed)", .timeLimit(.minutes(10)))
struct ListPerformanceTests {
    @Test("30 labelled containers: one list call plus concurrent inspects return them all")
    func thirtyContainers() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let image = "\(TestImages.uniqueName("shipshape-test-many")):1"
            await resources.image(image)
            try await TestImages.build(image, changes: [#"CMD ["/bin/sleep","300"]"#])
            let label = DockerTestSupport.uniqueLabel()
            var ids: [String] = []
            for index in 0..<30 {
                let id = try await client.createContainer(
                    name: TestImages.uniqueName("shipshape-test-many-\(index)"),
                    spec: ContainerSpec(image: image, env: ["INDEX=\(index)"], labels: [label.key: label.value]))
                await resources.container(id)
                ids.append(id)
            }
            let clock = ContinuousClock()
            var listDurations: [Duration] = []
            var totalDurations: [Duration] = []
            var sequentialDurations: [Duration] = []
            for _ in 0..<5 {
                let sequentialStart = clock.now
                let sequential = try await client.inspectContainers(ids, maxConcurrent: 1)
                sequentialDurations.append(clock.now - sequentialStart)
                #expect(sequential.map(\.id) == ids)

                let start = clock.now
                let listed = try await client.listContainers(all: true, labels: [label.key: label.value])
                let listedAt = clock.now
                let details = try await client.inspectContainers(listed.map(\.id))
                let end = clock.now
                listDurations.append(listedAt - start)
                totalDurations.append(end - start)
                #expect(Set(listed.map(\.id)) == Set(ids))
                #expect(details.map(\.id) == listed.map(\.id))
            }
            func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }
            print(
                "docker list+inspect of 30 containers (median of 5): list \(median(listDurations)), "
                    + "list + 30 inspects (8 concurrent) \(median(totalDurations)), 30 inspects one by one \(median(sequentialDurations))"
            )
        }
    }
}
