package io.mmgraph.filter;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The payload JSON reader and the filter conditions' semantics. */
class PayloadFilterTest {
    private static final Object DOC = JsonPayload.parse("""
            {"lang": "en", "year": 2011, "score": 0.5, "tags": ["a", "b", 3], "ok": true,
             "meta": {"source": {"name": "wiki"}}, "none": null, "esc": "q\\"\\u00e9\\n"}""");

    @Test
    void theReaderBuildsMapsListsDoublesStringsAndBooleans() {
        assertEquals("en", JsonPayload.field(DOC, "lang"));
        assertEquals(2011.0, JsonPayload.field(DOC, "year"));
        assertEquals(List.of("a", "b", 3.0), JsonPayload.field(DOC, "tags"));
        assertEquals(Boolean.TRUE, JsonPayload.field(DOC, "ok"));
        assertEquals("wiki", JsonPayload.field(DOC, "meta.source.name"));
        assertEquals("q\"é\n", JsonPayload.field(DOC, "esc"));
        assertNull(JsonPayload.field(DOC, "none"));
        assertNull(JsonPayload.field(DOC, "lang.x"), "a step into a string leads nowhere");
        assertNull(JsonPayload.field(DOC, "missing"));
        assertEquals(Map.of(), JsonPayload.parse(" {} "));
        assertEquals(-1.5e3, JsonPayload.parse("-1.5e3"));
        for (String bad : List.of("{", "{\"a\" 1}", "[1,]", "\"open", "{\"a\":1} x", "tru", "{\"a\":\"\\x\"}", "")) {
            assertThrows(IllegalArgumentException.class, () -> JsonPayload.parse(bad), bad);
        }
    }

    @Test
    void conditionsMatchScalarsAnyArrayElementAndNumbersByValue() {
        assertTrue(PayloadFilter.equalTo("lang", "en").test(DOC));
        assertFalse(PayloadFilter.equalTo("lang", "de").test(DOC));
        assertTrue(PayloadFilter.equalTo("year", 2011).test(DOC), "2011 and 2011.0 are one number");
        assertFalse(PayloadFilter.equalTo("year", "2011").test(DOC), "a string is not a number");
        assertTrue(PayloadFilter.equalTo("tags", "b").test(DOC), "any element of an array");
        assertTrue(PayloadFilter.equalTo("tags", 3L).test(DOC));
        assertTrue(PayloadFilter.equalTo("ok", true).test(DOC));
        assertTrue(PayloadFilter.equalTo("meta.source.name", "wiki").test(DOC));
        assertTrue(PayloadFilter.anyOf("lang", List.of("de", "en")).test(DOC));
        assertFalse(PayloadFilter.anyOf("lang", List.of("de", "fr")).test(DOC));
        assertTrue(PayloadFilter.range("year", 2011.0, true, null, false).test(DOC));
        assertFalse(PayloadFilter.range("year", 2011.0, false, null, false).test(DOC));
        assertTrue(PayloadFilter.range("score", null, false, 0.5, true).test(DOC));
        assertFalse(PayloadFilter.range("score", null, false, 0.5, false).test(DOC));
        assertFalse(PayloadFilter.range("lang", 0.0, true, null, false).test(DOC), "a string is in no range");
        assertTrue(PayloadFilter.range("tags", 2.0, true, 4.0, true).test(DOC), "the array's number 3");
        PayloadFilter en2011 = PayloadFilter.and(List.of(PayloadFilter.equalTo("lang", "en"),
                PayloadFilter.equalTo("year", 2011)));
        assertTrue(en2011.test(DOC));
        assertFalse(PayloadFilter.and(List.of(en2011, PayloadFilter.equalTo("ok", false))).test(DOC));
        assertTrue(PayloadFilter.or(List.of(PayloadFilter.equalTo("lang", "de"), en2011)).test(DOC));
        assertTrue(PayloadFilter.not(PayloadFilter.equalTo("lang", "de")).test(DOC));
        assertTrue(PayloadFilter.noneOf("tags", List.of("a", "b")).test(DOC), "3 is not among them");
        assertFalse(PayloadFilter.noneOf("tags", List.of("a", "b", 3)).test(DOC));
        assertFalse(PayloadFilter.noneOf("lang", List.of("en")).test(DOC));
        assertFalse(PayloadFilter.noneOf("missing", List.of("en")).test(DOC));
        assertFalse(PayloadFilter.equalTo("lang", "en").test(null), "no payload matches no field condition");
        assertTrue(PayloadFilter.not(PayloadFilter.equalTo("lang", "en")).test(null));
        assertFalse(PayloadFilter.equalTo("meta", "x").test(DOC), "an object is no scalar");
        assertThrows(IllegalArgumentException.class, () -> PayloadFilter.equalTo("a", List.of()));
        assertThrows(IllegalArgumentException.class, () -> PayloadFilter.range("a", null, true, null, true));
    }

    @Test
    void qdrantFiltersReadAsTheConditionsTheyName() {
        PayloadFilter f = QdrantFilters.parse("""
                {"must": [{"key": "lang", "match": {"value": "en"}},
                          {"key": "year", "range": {"gte": 2010, "lt": 2012}}],
                 "should": [{"key": "tags", "match": {"any": ["x", "b"]}}, {"key": "ok", "match": {"value": false}}],
                 "must_not": [{"key": "meta.source.name", "match": {"except": ["wiki"]}}]}""");
        assertTrue(f.test(DOC));
        assertFalse(QdrantFilters.parse("{\"must\":[{\"key\":\"year\",\"range\":{\"gt\":2011}}]}").test(DOC));
        assertTrue(QdrantFilters.parse("{\"must\":[{\"key\":\"year\",\"range\":{\"lte\":2011}}]}").test(DOC));
        assertTrue(QdrantFilters.parse("{\"must\":[{\"should\":[{\"key\":\"lang\",\"match\":{\"value\":\"en\"}}]}]}")
                .test(DOC), "a nested filter");
        for (String bad : List.of("[]", "{\"maybe\":[]}", "{\"must\":{}}", "{\"must\":[{\"key\":\"a\"}]}",
                "{\"must\":[{\"key\":\"a\",\"match\":{\"value\":[1]}}]}",
                "{\"must\":[{\"key\":\"a\",\"range\":{}}]}", "{\"must\":[{\"key\":\"a\",\"range\":{\"gt\":\"1\"}}]}",
                "{\"must\":[{\"key\":\"\",\"match\":{\"value\":1}}]}")) {
            assertThrows(IllegalArgumentException.class, () -> QdrantFilters.parse(bad), bad);
        }
    }
}
