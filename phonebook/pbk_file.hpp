// A Windows .pbk phonebook, read and written faithfully: every line (comments, unknown keys,
// key order, line endings) is kept, so a file written back is byte-for-byte what was read
// except for the values that were changed. Keys are case-sensitive, as in [MS-RRASM] 2.2.2
// (`Device=` names the device in a MEDIA block; `DEVICE=` opens the DEVICE subsection).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openras::phonebook {

struct Diagnostic {
  std::size_t line = 0;  // 1-based
  std::string entry;     // the entry the line belongs to ("" before the first entry)
  std::string message;
};

// Where a key lives inside an entry.
enum class Scope { Entry, Media, Device };

class PbkFile {
 public:
  PbkFile() = default;
  // A copy indexes its own lines (the index holds views into the object's own sections);
  // a move keeps the buffers, and so the views, as they are.
  PbkFile(const PbkFile& other) : lines_(other.lines_), byte_order_mark_(other.byte_order_mark_) {
    reindex();
  }
  PbkFile& operator=(const PbkFile& other) {
    if (this != &other) {
      lines_ = other.lines_;
      byte_order_mark_ = other.byte_order_mark_;
      reindex();
    }
    return *this;
  }
  PbkFile(PbkFile&&) noexcept = default;
  PbkFile& operator=(PbkFile&&) noexcept = default;

  static PbkFile parse(std::string_view text);
  std::string serialize() const;

  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  std::vector<std::string> entry_names() const;
  bool has_entry(std::string_view name) const;
  bool entry_is_broken(std::string_view name) const;

  // The first value of `key` in the entry's scope (the first MEDIA / DEVICE block).
  std::optional<std::string> get(std::string_view entry, std::string_view key,
                                 Scope scope = Scope::Entry) const;
  // Replace the value in place, or add the key where Windows would write it in that scope.
  void set(std::string_view entry, std::string_view key, std::string_view value,
           Scope scope = Scope::Entry);

  // The entry's whole section, header included, as text (what rasmand receives for a dial).
  std::optional<std::string> entry_text(std::string_view entry) const;

  void add_entry(std::string_view name);  // an empty section at the end
  bool remove_entry(std::string_view name);
  bool rename_entry(std::string_view from, std::string_view to);

 private:
  struct Line {
    std::string text;  // without the line ending
    std::string eol;   // "\r\n", "\n" or "" (last line without one)
  };
  struct Section {
    std::string name;
    std::size_t header = 0;  // index of the [name] line
    std::size_t end = 0;     // one past its last line
  };

  void reindex();
  const Section* find(std::string_view name) const;
  std::size_t first_section(std::string_view name) const;  // sections_.size(): none
  struct KeyLine {
    std::size_t index;
    std::string key;
    Scope scope;
    int block;  // 1 for the first MEDIA / DEVICE block
  };
  std::vector<KeyLine> key_lines(const Section& s) const;
  std::optional<std::size_t> find_key(const Section& s, std::string_view key, Scope scope) const;
  std::optional<std::size_t> insertion_point(const Section& s, Scope scope) const;
  std::string default_eol() const;

  std::vector<Line> lines_;
  std::vector<Section> sections_;
  std::vector<Diagnostic> diagnostics_;
  // Lookups by name, built by reindex in one sort each: loading and listing stay n log n in
  // the entries (tens of thousands), and an edit costs no allocation per entry. The views
  // point into sections_ and diagnostics_, rebuilt together.
  std::vector<std::pair<std::string_view, std::size_t>> index_;  // (name, section), sorted
  std::vector<std::string_view> broken_;                         // entries with a diagnostic
  bool byte_order_mark_ = false;  // a UTF-8 BOM (Windows writes one), kept on save
};

// Split "Key=Value" (the first '='); false for lines that are not key lines.
bool split_key_line(std::string_view line, std::string_view& key, std::string_view& value);

// The entry name rules of RasValidateEntryName: not empty, at most RAS_MaxEntryName, no
// leading dot, no '[' ']' or control characters, not only blanks.
bool is_valid_entry_name(std::string_view name);

}  // namespace openras::phonebook
