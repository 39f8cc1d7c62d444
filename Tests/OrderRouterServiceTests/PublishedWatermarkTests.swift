import Foundation
import OrderRouterService
import Pipeline
import Testing

/// The mark of what the pipeline took: its file, and what a start does with it.
@Suite("published watermark")
struct PublishedWatermarkTests {
    static func folder() throws -> String {
        let folder = URL(fileURLWithPath: Fixture.journalPath()).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("a new mark reads nil; each record overwrites the last, wider or narrower")
    func recordAndRead() throws {
        let folder = try Self.folder()
        let mark = try PublishedWatermark(path: folder + "/journal.log.published")
        #expect(mark.read() == nil)
        try mark.record(123_456)
        #expect(mark.read() == 123_456)
        try mark.record(7)
        #expect(mark.read() == 7)
        try mark.record(UInt64(Int64.max))
        #expect(mark.read() == UInt64(Int64.max))
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test("a file that is not a mark reads nil")
    func garbageIsUnknown() throws {
        let folder = try Self.folder()
        let path = folder + "/journal.log.published"
        for content in ["12", "not a number at all!\n", String(repeating: " ", count: 20) + "\n", "       -5           \n"] {
            try content.write(toFile: path, atomically: false, encoding: .utf8)
            #expect(try PublishedWatermark(path: path).read() == nil, "\(content.debugDescription)")
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test("a start writes the mark for a new journal and resets one ahead of the journal")
    func startSetsTheMark() async throws {
        let journal = Fixture.journalPath()
        let markPath = PublishedWatermark.path(forJournal: journal)
        try await Fixture.withService(journalPath: journal) { _, client in
            // A new journal: the start wrote 0.
            #expect(try PublishedWatermark(path: markPath).read() == 0)
            try await client.createBinaryMarket("m1")
            // The market's entry is 1; once its event is out, the mark says so.
            #expect(await eventually { (try? PublishedWatermark(path: markPath).read()) == 1 })
        }

        // A mark from another life of the folder: ahead of this journal's one entry.
        try PublishedWatermark(path: markPath).record(999)
        let built = try await OrderRouterApplication.build(configuration: try Fixture.configuration(journalPath: journal),
                                                           pipeline: MemoryPipeline(), logger: Fixture.logger)
        #expect(built.replayedEntries == 1)
        #expect(try PublishedWatermark(path: markPath).read() == 1)
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: journal).deletingLastPathComponent().path)
    }
}
