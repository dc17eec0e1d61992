# Warnings are errors where the tree is kept clean (scripts/build, CI), not for everyone
# who builds it: a packager's compiler or flags must not fail the build over a false
# positive (as ccache does).
option(DOCKSCAN_WARNINGS_AS_ERRORS "Treat the project's warnings as errors" OFF)

# dockscan_warnings(target): the project's warning set; third-party headers are SYSTEM.
function(dockscan_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough)
  if(DOCKSCAN_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# dockscan_headers(target): gives `target` an include root of its own that holds only the
# headers of its own folder, as links under build/include/<target>/<folder>/. A module
# sees the headers of exactly the modules it links (its own and its PUBLIC
# dependencies'), so a dependency that ARCHITECTURE.md does not allow fails to compile
# instead of waiting for a reviewer. Sub-folders are modules of their own.
function(dockscan_headers target)
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  set(root ${PROJECT_BINARY_DIR}/include/${target})
  file(GLOB headers CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.hpp)
  file(REMOVE_RECURSE ${root})
  file(MAKE_DIRECTORY ${root}/${folder})
  foreach(header IN LISTS headers)
    get_filename_component(name ${header} NAME)
    file(CREATE_LINK ${header} ${root}/${folder}/${name} SYMBOLIC)
  endforeach()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${root})
  else()
    target_include_directories(${target} PUBLIC ${root})
  endif()
endfunction()
