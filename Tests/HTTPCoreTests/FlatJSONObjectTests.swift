import HTTPCore
import Testing

@Suite("Flat JSON objects")
struct FlatJSONObjectTests {
    private func parse(_ text: String) -> FlatJSONObject? {
        Array(text.utf8).withUnsafeBytes { FlatJSONObject($0) }
    }

    @Test("scalars, whitespace and member order are read exactly")
    func accepted() throws {
        let object = try #require(parse(" {\"a\" : \"x y\",\n\t\"b\":-0.5e+3, \"c\":true,\"d\":false,\"e\":null,\"f\":0,\"g\":\"é😀\"}\r\n"))
        #expect(object.members.map(\.key) == ["a", "b", "c", "d", "e", "f", "g"])
        #expect(object["a"] == .string("x y"))
        #expect(object["b"] == .number("-0.5e+3"))
        #expect(object["c"] == .bool(true))
        #expect(object["d"] == .bool(false))
        #expect(object["e"] == .null)
        #expect(object["f"] == .number("0"))
        #expect(object["g"] == .string("é😀"))
        #expect(object["missing"] == nil)
        #expect(parse("{}")?.members.isEmpty == true)
    }

    @Test("anything outside the subset or not JSON is nil (left to JSONDecoder)", arguments: [
        "", " ", "[]", "\"x\"", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}",
        "{\"a\":1}x", "{\"a\":1}{}", "{a:1}", "{'a':1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}",
        "{\"a\":1e}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":True}", "{\"a\":\"x\\\"y\"}",
        "{\"a\":\"line\nbreak\"}", "{\"a\":{}}", "{\"a\":[1]}", "{\"a\":1,\"a\":2}", "{\"a\":\"unterminated}",
    ])
    func refused(text: String) {
        #expect(parse(text) == nil)
    }

    @Test("invalid UTF-8 in a string is nil")
    func invalidUTF8() {
        let bytes: [UInt8] = Array("{\"a\":\"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        #expect(bytes.withUnsafeBytes { FlatJSONObject($0) } == nil)
    }

    private func objects(_ text: String) -> [FlatJSONObject]? {
        Array(text.utf8).withUnsafeBytes { FlatJSONObject.objects(inArrayNamed: "orders", of: $0) }
    }

    @Test("an array of flat objects under one name is read in order")
    func arrayOfObjects() throws {
        let list = try #require(objects(" {\"orders\" : [ {\"a\":\"x\",\"b\":1} ,{},\n{\"a\":null}]}\n"))
        #expect(list.count == 3)
        #expect(list[0]["a"] == .string("x"))
        #expect(list[0]["b"] == .number("1"))
        #expect(list[1].members.isEmpty)
        #expect(list[2]["a"] == .null)
        #expect(objects("{\"orders\":[]}")?.isEmpty == true)
    }

    @Test("an array body outside the subset is nil (left to JSONDecoder)", arguments: [
        "", "[]", "{}", "{\"orders\":{}}", "{\"order\":[]}", "{\"orders\":[1]}", "{\"orders\":[{}],\"x\":1}",
        "{\"x\":1,\"orders\":[]}", "{\"orders\":[{},]}", "{\"orders\":[{}}", "{\"orders\":[{\"a\":[1]}]}",
        "{\"orders\":[{\"a\":{}}]}", "{\"orders\":[{\"a\":1,\"a\":2}]}", "{\"orders\":[{\"a\":\"x\\\"y\"}]}",
        "{\"orders\":[]}x", "{\"orders\":[] ", "{\"orders\":[{}]",
    ])
    func refusedArrays(text: String) {
        #expect(objects(text) == nil)
    }
}
