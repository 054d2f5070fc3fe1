#include "phonebook/pbk_file.hpp"

#include <algorithm>

namespace openras::phonebook {
namespace {

constexpr std::size_t kMaxEntryName = 256;

bool is_blank_or_comment(std::string_view t) {
  auto first = t.find_first_not_of(" \t");
  return first == std::string_view::npos || t[first] == ';' || t[first] == '#';
}

// A MEDIA= or DEVICE= line opens a subsection; NETCOMPONENTS= opens one that holds no keys
// of interest here.
std::optional<Scope> subsection_of(std::string_view key) {
  if (key == "MEDIA") return Scope::Media;
  if (key == "DEVICE") return Scope::Device;
  return std::nullopt;
}

}  // namespace

bool split_key_line(std::string_view line, std::string_view& key, std::string_view& value) {
  auto eq = line.find('=');
  if (eq == std::string_view::npos || eq == 0) return false;
  key = line.substr(0, eq);
  value = line.substr(eq + 1);
  return true;
}

bool is_valid_entry_name(std::string_view name) {
  // The limit is in characters (as Windows counts them), not in UTF-8 octets.
  auto characters = std::count_if(name.begin(), name.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (name.empty() || characters > static_cast<std::ptrdiff_t>(kMaxEntryName) ||
      name.front() == '.') {
    return false;
  }
  if (name.find_first_not_of(" \t") == std::string_view::npos) return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == '[' || c == ']' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

PbkFile PbkFile::parse(std::string_view text) {
  PbkFile file;
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.starts_with(kBom)) {
    text.remove_prefix(kBom.size());
    file.byte_order_mark_ = true;
  }
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    Line line;
    if (nl == std::string_view::npos) {
      line.text = std::string(text.substr(pos));
      pos = text.size();
    } else {
      std::size_t end = nl;
      if (end > pos && text[end - 1] == '\r') {
        --end;
        line.eol = "\r\n";
      } else {
        line.eol = "\n";
      }
      line.text = std::string(text.substr(pos, end - pos));
      pos = nl + 1;
    }
    file.lines_.push_back(std::move(line));
  }
  file.reindex();
  return file;
}

void PbkFile::reindex() {
  sections_.clear();
  diagnostics_.clear();
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    std::string_view t = lines_[i].text;
    std::string_view current = sections_.empty() ? std::string_view() : sections_.back().name;
    if (!t.empty() && t.front() == '[') {
      if (t.size() < 2 || t.back() != ']') {
        diagnostics_.push_back({i + 1, std::string(current), "entry header without a closing ']'"});
        continue;
      }
      if (!sections_.empty()) sections_.back().end = i;
      sections_.push_back({std::string(t.substr(1, t.size() - 2)), i, lines_.size()});
      continue;
    }
    if (is_blank_or_comment(t)) continue;
    std::string_view key, value;
    if (!split_key_line(t, key, value)) {
      diagnostics_.push_back({i + 1, std::string(current), "line is not Key=Value"});
    } else if (sections_.empty()) {
      diagnostics_.push_back({i + 1, std::string(current), "key outside any entry"});
    }
  }
  if (!sections_.empty()) sections_.back().end = lines_.size();
  // The name index: sorted by name, then position, so that the first of duplicates is found
  // first; the names are views of sections_, which stays as it is until the next reindex.
  index_.clear();
  for (std::size_t i = 0; i < sections_.size(); ++i) index_.emplace_back(sections_[i].name, i);
  std::sort(index_.begin(), index_.end());
  for (std::size_t k = 1; k < index_.size(); ++k) {
    if (index_[k].first == index_[k - 1].first) {
      const Section& dup = sections_[index_[k].second];
      diagnostics_.push_back({dup.header + 1, dup.name, "duplicate entry name '" + dup.name + "'"});
    }
  }
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  broken_.clear();
  for (const auto& d : diagnostics_) broken_.push_back(d.entry);
  std::sort(broken_.begin(), broken_.end());
}

std::string PbkFile::serialize() const {
  std::string out = byte_order_mark_ ? "\xEF\xBB\xBF" : "";
  for (const auto& line : lines_) {
    out += line.text;
    out += line.eol;
  }
  return out;
}

std::vector<std::string> PbkFile::entry_names() const {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < sections_.size(); ++i) {
    // A duplicate is listed once, where it first appears.
    if (first_section(sections_[i].name) == i) names.push_back(sections_[i].name);
  }
  return names;
}

bool PbkFile::has_entry(std::string_view name) const {
  return find(name) != nullptr;
}

bool PbkFile::entry_is_broken(std::string_view name) const {
  return std::binary_search(broken_.begin(), broken_.end(), name);
}

std::size_t PbkFile::first_section(std::string_view name) const {
  auto it = std::lower_bound(index_.begin(), index_.end(), name,
                             [](const std::pair<std::string_view, std::size_t>& e,
                                std::string_view n) { return e.first < n; });
  return it != index_.end() && it->first == name ? it->second : sections_.size();
}

const PbkFile::Section* PbkFile::find(std::string_view name) const {
  std::size_t i = first_section(name);
  return i < sections_.size() ? &sections_[i] : nullptr;
}

std::vector<PbkFile::KeyLine> PbkFile::key_lines(const Section& s) const {
  std::vector<KeyLine> out;
  Scope current = Scope::Entry;
  bool in_other = false;  // NETCOMPONENTS block: its keys belong to no scope we model
  int media_blocks = 0, device_blocks = 0;
  for (std::size_t i = s.header + 1; i < s.end; ++i) {
    std::string_view k, v;
    if (!split_key_line(lines_[i].text, k, v)) continue;
    if (k == "NETCOMPONENTS") {
      in_other = true;
      continue;
    }
    if (auto sub = subsection_of(k)) {
      in_other = false;
      current = *sub;
      (current == Scope::Media ? media_blocks : device_blocks)++;
    }
    if (in_other) continue;
    int block =
        current == Scope::Entry ? 1 : (current == Scope::Media ? media_blocks : device_blocks);
    out.push_back({i, std::string(k), current, block});
  }
  return out;
}

std::optional<std::size_t> PbkFile::find_key(const Section& s, std::string_view key,
                                             Scope scope) const {
  for (const auto& kl : key_lines(s)) {
    if (kl.scope == scope && kl.block == 1 && kl.key == key) return kl.index;
  }
  return std::nullopt;
}

std::optional<std::size_t> PbkFile::insertion_point(const Section& s, Scope scope) const {
  std::optional<std::size_t> last;
  for (const auto& kl : key_lines(s)) {
    if (kl.scope == scope && kl.block == 1) last = kl.index;
  }
  if (scope == Scope::Entry) return last ? *last + 1 : s.header + 1;
  if (last) return *last + 1;
  return std::nullopt;
}

std::string PbkFile::default_eol() const {
  for (const auto& l : lines_) {
    if (!l.eol.empty()) return l.eol;
  }
  return "\r\n";  // what Windows writes
}

std::optional<std::string> PbkFile::get(std::string_view entry, std::string_view key,
                                        Scope scope) const {
  const Section* s = find(entry);
  if (!s) return std::nullopt;
  auto i = find_key(*s, key, scope);
  if (!i) return std::nullopt;
  std::string_view k, v;
  split_key_line(lines_[*i].text, k, v);
  return std::string(v);
}

void PbkFile::set(std::string_view entry, std::string_view key, std::string_view value,
                  Scope scope) {
  if (!find(entry)) add_entry(entry);
  const Section* s = find(entry);
  std::string text = std::string(key) + "=" + std::string(value);
  if (auto i = find_key(*s, key, scope)) {
    lines_[*i].text = std::move(text);
    return;
  }
  std::string eol = default_eol();
  auto at = insertion_point(*s, scope);
  if (!at) {
    // The subsection does not exist yet: open it at the end of the entry.
    std::size_t end = s->end;
    while (end > s->header + 1 && lines_[end - 1].text.empty()) --end;
    if (lines_[end - 1].eol.empty()) lines_[end - 1].eol = eol;
    const char* opener_key = scope == Scope::Media ? "MEDIA" : "DEVICE";
    bool setting_opener = key == opener_key;
    std::string opener = setting_opener ? text : std::string(opener_key) + "=";
    lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(end), Line{opener, eol});
    if (setting_opener) {
      reindex();
      return;
    }
    at = end + 1;
  }
  if (lines_[*at - 1].eol.empty()) lines_[*at - 1].eol = eol;
  lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(*at), Line{std::move(text), eol});
  reindex();
}

std::optional<std::string> PbkFile::entry_text(std::string_view entry) const {
  const Section* s = find(entry);
  if (!s) return std::nullopt;
  std::string out;
  for (std::size_t i = s->header; i < s->end; ++i) {
    out += lines_[i].text;
    out += lines_[i].eol.empty() ? "\n" : lines_[i].eol;
  }
  return out;
}

namespace {
// "[name]". Built by appends: GCC 12 at -O3 reports a false -Wrestrict overlap in
// `"[" + std::string(name) + "]"` (its operator+ inlining), which -Werror makes fatal.
std::string section_header(std::string_view name) {
  std::string header;
  header.reserve(name.size() + 2);
  header += '[';
  header.append(name);
  header += ']';
  return header;
}
}  // namespace

void PbkFile::add_entry(std::string_view name) {
  std::string eol = default_eol();
  if (!lines_.empty() && lines_.back().eol.empty()) lines_.back().eol = eol;
  if (!lines_.empty() && !lines_.back().text.empty()) lines_.push_back({"", eol});
  lines_.push_back({section_header(name), eol});
  reindex();
}

bool PbkFile::remove_entry(std::string_view name) {
  const Section* s = find(name);
  if (!s) return false;
  lines_.erase(lines_.begin() + static_cast<std::ptrdiff_t>(s->header),
               lines_.begin() + static_cast<std::ptrdiff_t>(s->end));
  reindex();
  return true;
}

bool PbkFile::rename_entry(std::string_view from, std::string_view to) {
  const Section* s = find(from);
  if (!s || find(to)) return false;
  lines_[s->header].text = section_header(to);
  reindex();
  return true;
}

}  // namespace openras::phonebook
