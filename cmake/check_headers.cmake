# callwire_check_headers(<library> [FOLDER <dir>]): every public header of a
# layer compiles on its own. Adds <library>_headers, an object library with one
# translation unit per *.hpp of FOLDER (default: the calling folder) that
# includes the header twice (include guard) the way users do, relative to src/.
function(callwire_check_headers library)
  cmake_parse_arguments(H "" "FOLDER" "" ${ARGN})
  if(NOT H_FOLDER)
    set(H_FOLDER ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  file(GLOB headers RELATIVE ${CMAKE_SOURCE_DIR}/src CONFIGURE_DEPENDS ${H_FOLDER}/*.hpp)
  set(checks)
  foreach(h IN LISTS headers)
    string(MAKE_C_IDENTIFIER ${h} id)
    set(src ${CMAKE_CURRENT_BINARY_DIR}/header_check/${id}.cpp)
    file(CONFIGURE OUTPUT ${src} CONTENT "#include \"${h}\"\n#include \"${h}\"\n")
    list(APPEND checks ${src})
  endforeach()
  add_library(${library}_headers OBJECT ${checks})
  # Each header alone in its translation unit, or the check proves nothing.
  set_target_properties(${library}_headers PROPERTIES UNITY_BUILD OFF)
  target_link_libraries(${library}_headers PRIVATE ${library})
endfunction()
