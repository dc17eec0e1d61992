# Suites of the docking formats (Android backups, iOS typedstream) and the fuzz
# targets for their decoders. Included from tests/docking/CMakeLists.txt.
add_subdirectory(android)
add_subdirectory(ios)
add_subdirectory(${PROJECT_SOURCE_DIR}/tests/fuzz ${PROJECT_BINARY_DIR}/tests/fuzz)
add_subdirectory(adb)
