# dockscan_warnings(target): the project's warning set. Warnings are errors in our
# own code so that the tree stays clean; third-party headers are included as SYSTEM.
function(dockscan_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough -Werror)
endfunction()
