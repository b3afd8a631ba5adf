// The spec schema in binary form (CBOR, RFC 8949), generated at build time from
// schemas/orchestration.schema.json by schema_blob_gen.cc, and its decoder.
//
// Why: SchemaValidator parses the schema in every process. nlohmann's text parser reads the
// 40 KB text a character at a time (about 3.1 M instructions); decoding the same document from
// CBOR, with strings copied whole and object members appended in key order, builds an identical
// nlohmann::json in about a quarter of that (docs/performance.md, "Start-up"). The generator
// checks at build time that `Decode` gives exactly json::parse's tree (same value types,
// same values), so validation cannot differ.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>

namespace orchc {
// The schema as CBOR, generated into schema_blob.cc by schema_blob_gen.cc.
extern const uint8_t kSchemaBlob[];
extern const size_t kSchemaBlobSize;
}  // namespace orchc

namespace orchc::schema_blob {

// Decodes the subset of CBOR that nlohmann::json::to_cbor writes for a JSON document: unsigned
// and negative integers, text strings, definite arrays and maps with text keys, false, true,
// null, single and double floats. Throws std::runtime_error on anything else or a truncated or
// over-long input.
class Decoder {
 public:
  Decoder(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}

  nlohmann::json Document() {
    nlohmann::json j = Value(0);
    if (p_ != end_) Fail();
    return j;
  }

 private:
  using json = nlohmann::json;
  static constexpr int kMaxDepth = 64;

  [[noreturn]] static void Fail() { throw std::runtime_error("malformed schema blob"); }

  uint8_t Byte() {
    if (p_ == end_) Fail();
    return *p_++;
  }

  uint64_t Argument(uint8_t info) {
    if (info < 24) return info;
    int n = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
    if (n == 0 || end_ - p_ < n) Fail();
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | *p_++;
    return v;
  }

  std::string Text(uint64_t n) {
    if (static_cast<uint64_t>(end_ - p_) < n) Fail();
    std::string s(reinterpret_cast<const char*>(p_), static_cast<size_t>(n));
    p_ += n;
    return s;
  }

  json Value(int depth) {
    if (depth > kMaxDepth) Fail();
    uint8_t head = Byte();
    uint8_t info = head & 31;
    switch (head >> 5) {
      case 0:
        return json(static_cast<json::number_unsigned_t>(Argument(info)));
      case 1: {
        uint64_t a = Argument(info);
        if (a > static_cast<uint64_t>(INT64_MAX)) Fail();
        return json(static_cast<json::number_integer_t>(-1 - static_cast<int64_t>(a)));
      }
      case 3:
        return json(Text(Argument(info)));
      case 4: {
        uint64_t n = Argument(info);
        if (n > static_cast<uint64_t>(end_ - p_)) Fail();  // every item takes at least a byte
        json a(json::value_t::array);
        json::array_t& items = a.get_ref<json::array_t&>();
        items.reserve(static_cast<size_t>(n));
        for (uint64_t i = 0; i < n; ++i) items.push_back(Value(depth + 1));
        return a;
      }
      case 5: {
        uint64_t n = Argument(info);
        if (n > static_cast<uint64_t>(end_ - p_)) Fail();
        json o(json::value_t::object);
        json::object_t& members = o.get_ref<json::object_t&>();
        for (uint64_t i = 0; i < n; ++i) {
          uint8_t key_head = Byte();
          if ((key_head >> 5) != 3) Fail();
          std::string key = Text(Argument(key_head & 31));
          // to_cbor writes members in the map's order, so each key goes at the end; a key out of
          // order or repeated would still land where it belongs (or be rejected) below.
          size_t before = members.size();
          members.emplace_hint(members.end(), std::move(key), Value(depth + 1));
          if (members.size() == before) Fail();
        }
        return o;
      }
      case 7:
        switch (info) {
          case 20:
            return false;
          case 21:
            return true;
          case 22:
            return nullptr;
          case 26: {
            uint32_t bits = static_cast<uint32_t>(Argument(info));
            float f;
            std::memcpy(&f, &bits, sizeof f);
            return static_cast<double>(f);
          }
          case 27: {
            uint64_t bits = Argument(info);
            double d;
            std::memcpy(&d, &bits, sizeof d);
            return d;
          }
        }
        break;
    }
    Fail();
  }

  const uint8_t* p_;
  const uint8_t* end_;
};

inline nlohmann::json Decode(const uint8_t* data, size_t size) {
  return Decoder(data, size).Document();
}

// True when a and b are the same tree with the same value types (nlohmann's == treats 1 and 1.0,
// or unsigned and signed integers, as equal; the validator's type checks do not).
inline bool SameTree(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
      if (ia.key() != ib.key() || !SameTree(ia.value(), ib.value())) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!SameTree(a[i], b[i])) return false;
    return true;
  }
  return a == b;
}

}  // namespace orchc::schema_blob
