import HTTPCore
import Testing

@Suite("Request ids")
struct RequestIDTests {
    @Test("ids are 16 URL-safe characters and never repeat")
    func unique() {
        let ids = (0..<20_000).map { _ in RequestID.make() }
        #expect(Set(ids).count == ids.count)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for id in ids.prefix(100) {
            #expect(id.count == 16)
            #expect(id.allSatisfy { allowed.contains($0) })
        }
    }
}
