# cmake/CellarLibrary.cmake: one helper per kind of target, so every folder's CMakeLists stays short.

# cellar_library(NAME SRCS a.cc b.cc DEPS x y): a static library named cellar_NAME.
function(cellar_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(cellar_${name} STATIC ${ARG_SRCS})
  target_include_directories(cellar_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(cellar_${name} PUBLIC ${ARG_DEPS})
endfunction()

# cellar_test(NAME SRCS a_test.cc DEPS cellar_x [PROPERTIES ...]): a GoogleTest binary registered
# with ctest; PROPERTIES (e.g. a fixture the tests need) are set on every test it holds.
function(cellar_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;PROPERTIES" ${ARGN})
  if(NOT CELLAR_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(ARG_PROPERTIES)
    gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                         PROPERTIES ${ARG_PROPERTIES})
  else()
    gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60)
  endif()
endfunction()
