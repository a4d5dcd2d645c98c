// Files and JSON text: reading, parsing with line/column, and the
// load_* entry points that chain read -> parse -> convert -> validate.
#include "causality/model/io.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <optional>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "causality/model/limits.hpp"
#include "causality/model/validate.hpp"
#include "json_reader.hpp"

namespace causality::model {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string errno_text(int e) { return std::strerror(e); }

/// Reads at most `limit` + 1 bytes of `fd` into `out`; false on a read error.
bool read_bounded(int fd, std::uint64_t limit, std::uint64_t size_hint, std::string& out) {
  out.clear();
  out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(size_hint, limit) + 1));
  char buf[1 << 16];
  while (out.size() <= limit) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buf, limit + 1 - out.size()));
    ssize_t got = ::read(fd, buf, want);
    if (got < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {  // opened non-blocking: wait for data
        pollfd p{fd, POLLIN, 0};
        ::poll(&p, 1, -1);
        continue;
      }
      return false;
    }
    if (got == 0) break;
    out.append(buf, static_cast<std::size_t>(got));
  }
  return true;
}

std::string too_large(std::uint64_t limit) {
  return "is larger than the limit of " + std::to_string(limit) + " bytes (set " +
         std::string(limits::max_file_bytes_env) + " to change it)";
}

const char* file_type_name(mode_t m) {
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISDIR(m)) return "a directory";
  return "not a regular file";
}

}  // namespace

expected<std::string> read_text_file(const std::string& path) {
  auto limit = limits::max_file_bytes();
  if (!limit) return limit.err();
  std::string text;
  if (path == "-") {  // stdin: any kind of stream, bounded by the same limit
    struct stat st {};
    std::uint64_t hint = 0;
    if (::fstat(0, &st) == 0 && S_ISREG(st.st_mode)) {
      if (static_cast<std::uint64_t>(st.st_size) > *limit) return error{path, "", too_large(*limit)};
      hint = static_cast<std::uint64_t>(st.st_size);
    }
    if (!read_bounded(0, *limit, hint, text))
      return error{path, "", "cannot be read: " + errno_text(errno)};
  } else {
    // stat first: a FIFO must be refused before open() blocks on it.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return error{path, "", "no such file"};
      return error{path, "", "cannot be read: " + errno_text(errno)};
    }
    if (S_ISDIR(st.st_mode)) return error{path, "", "is a directory, not a file"};
    if (!S_ISREG(st.st_mode))
      return error{path, "", std::string("is ") + file_type_name(st.st_mode) +
                                 ", not a regular file"};
    if (static_cast<std::uint64_t>(st.st_size) > *limit) return error{path, "", too_large(*limit)};
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return error{path, "", "cannot be read: " + errno_text(errno)};
    // The path may have been replaced since stat: check what was opened.
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return error{path, "", "is not a regular file"};
    }
    bool ok = read_bounded(fd, *limit, static_cast<std::uint64_t>(st.st_size), text);
    int e = errno;
    ::close(fd);
    if (!ok) return error{path, "", "cannot be read: " + errno_text(e)};
  }
  if (text.size() > *limit) return error{path, "", too_large(*limit)};
  if (text.empty()) return error{path, "", "file is empty"};
  return text;
}

namespace {

/// 1-based line and column of the 1-based byte offset `byte` in `text`.
std::string line_column(const std::string& text, std::size_t byte) {
  if (byte == 0) byte = 1;
  std::size_t prefix = std::min(byte - 1, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < prefix; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return "line " + std::to_string(line) + ", column " + std::to_string(byte - line_start);
}

/// nlohmann's message without its "[json.exception...] parse error at ...: "
/// prefix, on one printable line (the echoed input may hold any byte).
std::string tail_reason(const std::string& what) {
  std::string reason = what;
  if (auto at = what.find("parse error"); at != std::string::npos) {
    if (auto colon = what.find(": ", at); colon != std::string::npos)
      reason = what.substr(colon + 2);
  } else if (auto close = what.find("] "); close != std::string::npos) {
    reason = what.substr(close + 2);
  }
  for (char& c : reason)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return reason;
}

/// A char iterator that publishes how far the parser has read, so the SAX
/// handler can tell where a key is (nlohmann's SAX events carry no position).
class tracking_iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  tracking_iterator(const char* p, const char** cursor) : p_(p), cursor_(cursor) {}
  reference operator*() const { return *p_; }
  tracking_iterator& operator++() {
    ++p_;
    if (cursor_) *cursor_ = p_;
    return *this;
  }
  tracking_iterator operator++(int) {
    auto old = *this;
    ++*this;
    return old;
  }
  bool operator==(const tracking_iterator& o) const { return p_ == o.p_; }
  bool operator!=(const tracking_iterator& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  const char** cursor_;
};

/// Builds the document like nlohmann's DOM parser and refuses, with the JSON
/// path and the position: a key given twice in one object (naming both
/// places), nesting deeper than limits::max_json_depth, a string or key
/// longer than limits::max_string_bytes.
class checked_sax {
 public:
  checked_sax(json& root, const std::string& text, const std::string& file, const char* const* cursor)
      : dom_(root, false), text_(text), file_(file), cursor_(cursor) {}

  const std::optional<error>& err() const { return err_; }

  bool null() { return value() && dom_.null(); }
  bool boolean(bool v) { return value() && dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return value() && dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value() && dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    return value() && dom_.number_float(v, s);
  }
  bool string(json::string_t& v) {
    if (!value()) return false;
    if (v.size() > limits::max_string_bytes)
      return fail(current_path(), "string of " + std::to_string(v.size()) +
                                      " bytes, more than " + std::to_string(limits::max_string_bytes));
    return dom_.string(v);
  }
  bool binary(json::binary_t& v) { return value() && dom_.binary(v); }
  bool start_object(std::size_t n) { return open(true) && dom_.start_object(n); }
  bool end_object() {
    frames_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return open(false) && dom_.start_array(n); }
  bool end_array() {
    frames_.pop_back();
    return dom_.end_array();
  }
  bool key(json::string_t& k) {
    frame& f = frames_.back();
    const std::size_t at = key_start(offset());
    if (k.size() > limits::max_string_bytes)
      return fail(current_path(), "key of " + std::to_string(k.size()) + " bytes, more than " +
                                      std::to_string(limits::max_string_bytes));
    f.key = k;
    if (auto first = f.find(k))
      return fail(current_path(), "duplicate key '" + k + "' (first at " +
                                      line_column(text_, *first) + ", again at " +
                                      line_column(text_, at) + ")",
                  false);
    f.add(k, at);
    return dom_.key(k);
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    if (e.id == 406) position = number_start(position);  // name where the literal starts
    if (!err_)
      err_ = error{file_, "",
                   "malformed JSON at " + line_column(text_, position) + ": " + tail_reason(e.what())};
    return false;
  }

 private:
  /// One open object or array: the keys seen (objects) or the index of the
  /// current element (arrays).
  struct frame {
    bool object = false;
    long index = -1;
    std::string key;
    std::vector<std::pair<std::string, std::size_t>> small;  // first keys, scanned linearly
    std::unordered_map<std::string, std::size_t> many;       // all keys once there are many
    std::optional<std::size_t> find(const std::string& k) const {
      if (!many.empty()) {
        auto it = many.find(k);
        return it == many.end() ? std::nullopt : std::optional<std::size_t>(it->second);
      }
      for (const auto& [name, at] : small)
        if (name == k) return at;
      return std::nullopt;
    }
    void add(const std::string& k, std::size_t at) {
      if (!many.empty()) {
        many.emplace(k, at);
        return;
      }
      small.emplace_back(k, at);
      if (small.size() > 16) {
        many.insert(small.begin(), small.end());
        small.clear();
      }
    }
  };

  /// 1-based offset of the first character of the number literal that the
  /// parser had read up to the 1-based offset `end` (it may have read one past).
  std::size_t number_start(std::size_t end) const {
    auto is_num = [](char c) {
      return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    };
    std::size_t i = std::min(end, text_.size());  // one past the 0-based index of the last read
    while (i > 0 && !is_num(text_[i - 1])) --i;
    while (i > 1 && is_num(text_[i - 2])) --i;
    return i;
  }
  std::size_t offset() const { return static_cast<std::size_t>(*cursor_ - text_.data()); }

  /// A value starts: counts array elements.
  bool value() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return true;
  }
  bool open(bool object) {
    value();
    if (frames_.size() >= limits::max_json_depth)
      return fail(current_path(), "nested deeper than " + std::to_string(limits::max_json_depth) +
                                      " levels");
    frames_.emplace_back();
    frames_.back().object = object;
    return true;
  }
  std::string current_path() const {
    std::string p;
    for (const auto& f : frames_) {
      if (f.object) p = detail::child_path(p, f.key);
      else if (f.index >= 0) {
        p = detail::child_path(p, static_cast<std::size_t>(f.index));
      }
    }
    return p;
  }
  bool fail(std::string path, std::string reason, bool where = true) {
    if (where) reason += " (at " + line_column(text_, offset()) + ")";
    if (!err_) err_ = error{file_, std::move(path), std::move(reason)};
    return false;
  }
  /// 1-based offset of the opening quote of the key whose closing quote ends
  /// at the 1-based offset `end`.
  std::size_t key_start(std::size_t end) const {
    std::size_t i = end >= 2 ? end - 2 : 0;  // 0-based, just before the closing quote
    while (i > 0) {
      if (text_[i] == '"') {
        std::size_t slashes = 0;
        while (i > slashes && text_[i - 1 - slashes] == '\\') ++slashes;
        if (slashes % 2 == 0) return i + 1;
      }
      --i;
    }
    return 1;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  const std::string& text_;
  const std::string& file_;
  const char* const* cursor_;
  std::vector<frame> frames_;
  std::optional<error> err_;
};

}  // namespace

expected<json> parse_json(const std::string& text, const std::string& file) {
  json root;
  const char* cursor = text.data();
  checked_sax sax(root, text, file, &cursor);
  tracking_iterator first(text.data(), &cursor), last(text.data() + text.size(), nullptr);
  bool ok = false;
  try {
    ok = json::sax_parse(first, last, &sax);
  } catch (const json::exception& e) {
    return error{file, "", "malformed JSON: " + tail_reason(e.what())};
  }
  if (!ok || sax.err()) {
    if (sax.err()) return *sax.err();
    return error{file, "", "malformed JSON"};
  }
  return root;
}

expected<dataflow_definition> workflow_from_json(const json& j, const std::string& file) {
  const bool wfcommons = j.is_object() && j.contains("workflow");
  auto d = wfcommons ? wfcommons_from_json(j, file) : definition_from_json(j, file);
  if (!d) return d;
  if (auto bad = validate_definition(*d, file)) {
    // Validation speaks the project's form; point into the WfCommons file
    // instead: node i is task i, edges come from the tasks' lists.
    if (wfcommons) {
      const std::string tasks = "/workflow/specification/tasks";
      if (bad->path.rfind("/nodes/", 0) == 0) {
        auto end = bad->path.find('/', 7);
        std::string field = end == std::string::npos ? "" : bad->path.substr(end);
        bad->path = tasks + bad->path.substr(6, end == std::string::npos ? end : end - 6);
        if (field == "/node_id") bad->path += "/id";
        else if (field == "/name") bad->path += "/name";
      } else {
        bad->path = tasks;
      }
    }
    return *bad;
  }
  return d;
}

expected<dataflow_definition> load_workflow_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.err();
  auto j = parse_json(*text, path);
  if (!j) return j.err();
  return workflow_from_json(*j, path);
}

expected<platform> load_platform_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.err();
  auto j = parse_json(*text, path);
  if (!j) return j.err();
  auto p = platform_from_json(*j, path);
  if (p && p->name.empty()) p->name = fs::path(path).stem().string();
  return p;
}

}  // namespace causality::model
