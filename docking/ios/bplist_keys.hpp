#pragma once

// A check of binary property lists before libplist reads them. libplist 2.2 (Debian
// bookworm) aborts the process, through an assert in plist_get_key_val, on a dictionary
// key that holds a NUL character: a 1 KB Info.plist in a backup folder would end the
// station (found by tests/fuzz's ios_plist target). Such a file is refused instead.

#include <string_view>

namespace dockscan::docking::ios {

// False when `bytes` is a binary property list ("bplist00") in which some dictionary has
// a key string with a NUL character. True for every other input, also a broken one:
// libplist judges the rest.
[[nodiscard]] bool binary_plist_keys_are_c_strings(std::string_view bytes);

} // namespace dockscan::docking::ios
