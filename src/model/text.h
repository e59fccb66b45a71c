// Small text helpers shared by the decoder, the error type and the JSON
// writers. Hand-written rather than snprintf: printf's formatting engine
// costs about 3 KB (gzip) of the Wasm build, for two formats.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace compoly {

// "0x1a3f"; at least `min_digits` hex digits.
std::string hex(uint64_t value, int min_digits = 2);

// Appends `s` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

// Concatenation of a string and a view, for messages that quote names (views
// into the input). C++26 adds these to std (P2591).
inline std::string operator+(std::string a, std::string_view b) { return a.append(b); }
inline std::string operator+(std::string_view a, const std::string& b) { return std::string(a).append(b); }

}  // namespace compoly
