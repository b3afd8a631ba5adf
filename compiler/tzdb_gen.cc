// Build-time generator of the embedded IANA time-zone database (tzdb.h).
//
//   orchc_tzdb_gen ZONEINFO_DIR OUTPUT.cc
//
// Reads ZONEINFO_DIR/tzdata.zi (Debian's tzdata) for the database version ("# version ...") and
// the names: every `Z name` line is a zone, every `L target name` line a link. For each zone it
// reads the compiled TZif file ZONEINFO_DIR/name (RFC 8536; the 64-bit data block of version 2+
// files and the POSIX TZ footer rule used after the last transition) and writes a C++ source
// with the transitions, the offsets and the footers, plus the sorted table of accepted names.
// Pseudo-zones that are not IANA zone names (localtime, posixrules, Factory, posix/*, right/*)
// are never in tzdata.zi's Z/L lines except Factory, which is left out explicitly.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Zone {
  std::string name;
  int32_t initial_offset = 0;
  std::vector<int64_t> times;
  std::vector<int32_t> offsets;
  std::string footer;
};

bool Fail(const std::string& msg) {
  std::cerr << "orchc_tzdb_gen: " << msg << "\n";
  return false;
}

uint32_t Be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
int64_t Be64(const unsigned char* p) {
  return static_cast<int64_t>((uint64_t{Be32(p)} << 32) | Be32(p + 4));
}

// Parses one TZif file (version 2 or later) into `z`.
bool ReadTzif(const std::string& path, Zone& z) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("cannot open " + path);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  auto header = [&](size_t at, uint32_t c[6]) {
    if (at + 44 > n || data.compare(at, 4, "TZif") != 0) return false;
    for (int i = 0; i < 6; ++i) c[i] = Be32(p + at + 20 + 4 * i);
    return true;
  };
  uint32_t c[6];  // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
  if (!header(0, c)) return Fail(path + " is not a TZif file");
  if (data[4] < '2') return Fail(path + " is a version 1 TZif file (no 64-bit data)");
  size_t v1 = 44 + c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
  if (!header(v1, c)) return Fail(path + ": no version 2 header");
  size_t at = v1 + 44;
  const uint32_t timecnt = c[3], typecnt = c[4];
  size_t body = timecnt * 9 + typecnt * 6 + c[5] + c[2] * 12 + c[1] + c[0];
  if (at + body > n || typecnt == 0) return Fail(path + ": truncated");
  std::vector<int32_t> type_offset(typecnt);
  const unsigned char* types = p + at + timecnt * 9;
  for (uint32_t i = 0; i < typecnt; ++i) {
    type_offset[i] = static_cast<int32_t>(Be32(types + 6 * i));
  }
  z.initial_offset = type_offset[0];  // RFC 8536: local time type 0 before the first transition
  for (uint32_t i = 0; i < timecnt; ++i) {
    uint8_t idx = p[at + timecnt * 8 + i];
    if (idx >= typecnt) return Fail(path + ": bad type index");
    z.times.push_back(Be64(p + at + 8 * i));
    z.offsets.push_back(type_offset[idx]);
  }
  size_t foot = at + body;
  if (foot >= n || data[foot] != '\n') return Fail(path + ": no footer");
  size_t end = data.find('\n', foot + 1);
  if (end == std::string::npos) return Fail(path + ": unterminated footer");
  z.footer = data.substr(foot + 1, end - foot - 1);
  return true;
}

std::string Quote(const std::string& s) {
  std::string r = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') r += '\\';
    r += ch;
  }
  return r + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: orchc_tzdb_gen ZONEINFO_DIR OUTPUT.cc\n";
    return 2;
  }
  const std::string dir = argv[1];
  std::ifstream zi(dir + "/tzdata.zi");
  if (!zi) {
    Fail("cannot open " + dir + "/tzdata.zi (install Debian's tzdata package)");
    return 1;
  }
  std::string version;
  std::vector<std::string> zone_names;
  std::vector<std::pair<std::string, std::string>> links;  // name -> target
  for (std::string line; std::getline(zi, line);) {
    if (line.starts_with("# version ")) version = line.substr(10);
    std::istringstream ls(line);
    std::string kind, a, b;
    ls >> kind >> a;
    if (kind == "Z" && a != "Factory") zone_names.push_back(a);
    if (kind == "L" && (ls >> b)) links.emplace_back(b, a);
  }
  if (version.empty() || zone_names.empty()) {
    Fail("no version or no zones in " + dir + "/tzdata.zi");
    return 1;
  }
  std::sort(zone_names.begin(), zone_names.end());
  std::map<std::string, size_t> zone_index;
  std::vector<Zone> zones;
  for (const std::string& name : zone_names) {
    Zone z;
    z.name = name;
    if (!ReadTzif(dir + "/" + name, z)) return 1;
    zone_index[name] = zones.size();
    zones.push_back(std::move(z));
  }
  // name -> zone index, links resolved (a link may name another link).
  std::map<std::string, size_t> names(zone_index.begin(), zone_index.end());
  for (int round = 0; round < 4; ++round) {
    for (const auto& [name, target] : links) {
      auto it = names.find(target);
      if (it != names.end()) names[name] = it->second;
    }
  }
  for (const auto& [name, target] : links) {
    if (!names.count(name)) {
      Fail("link " + name + " -> " + target + " names no zone");
      return 1;
    }
  }

  std::ostringstream o;
  o << "// Generated by orchc_tzdb_gen from Debian's tzdata " << version
    << " (tzdata.zi and the TZif files). Do not edit.\n"
    << "#include \"tzdb_data.h\"\n\nnamespace orchc::tzdata {\n\n"
    << "extern const char kVersion[] = " << Quote(version) << ";\n\n"
    << "extern const int64_t kTimes[] = {\n";
  size_t total = 0;
  for (const Zone& z : zones) {
    for (int64_t t : z.times) o << t << ",";
    if (!z.times.empty()) o << "\n";
    total += z.times.size();
  }
  if (total == 0) o << "0";
  o << "};\n\nextern const int32_t kOffsets[] = {\n";
  for (const Zone& z : zones) {
    for (int32_t off : z.offsets) o << off << ",";
    if (!z.offsets.empty()) o << "\n";
  }
  if (total == 0) o << "0";
  o << "};\n\nextern const ZoneRecord kZones[] = {\n";
  size_t first = 0;
  for (const Zone& z : zones) {
    o << "{" << Quote(z.name) << "," << first << "," << z.times.size() << "," << z.initial_offset
      << "," << Quote(z.footer) << "},\n";
    first += z.times.size();
  }
  o << "};\nextern const size_t kZoneCount = " << zones.size() << ";\n\n"
    << "extern const NameRecord kNames[] = {\n";
  for (const auto& [name, index] : names) {
    o << "{" << Quote(name) << "," << index << "," << (zone_index.count(name) ? 0 : 1) << "},\n";
  }
  o << "};\nextern const size_t kNameCount = " << names.size()
    << ";\n\n}  // namespace orchc::tzdata\n";

  const std::string tmp = std::string(argv[2]) + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << o.str();
    if (!out) {
      Fail("cannot write " + tmp);
      return 1;
    }
  }
  if (std::rename(tmp.c_str(), argv[2]) != 0) {
    Fail(std::string("cannot rename to ") + argv[2]);
    return 1;
  }
  return 0;
}
