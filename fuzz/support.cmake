# The fuzzing support library (seed models, structure-aware mutator, pipeline runner, stage counters) and
# fuzz_tool. Included by fuzz/CMakeLists.txt (fuzz builds) and tests/regressions (replays in every build),
# whichever comes first defines the targets.
if(NOT TARGET tinyfuse_fuzz_support)
  set(TINYFUSE_FUZZ_DIR ${CMAKE_SOURCE_DIR}/fuzz)
  # The seed models reuse the test graph builders; fuzz builds without tests compile them here.
  if(NOT TARGET tinyfuse_test_graphs)
    add_library(tinyfuse_test_graphs STATIC ${CMAKE_SOURCE_DIR}/tests/graph/test_graphs.cc)
    target_include_directories(tinyfuse_test_graphs PUBLIC ${CMAKE_SOURCE_DIR}/tests/graph)
    target_link_libraries(tinyfuse_test_graphs PUBLIC tinyfuse_graph)
  endif()
  add_library(tinyfuse_fuzz_support STATIC
    ${TINYFUSE_FUZZ_DIR}/fuzz_stats.cc
    ${TINYFUSE_FUZZ_DIR}/fuzz_values.cc
    ${TINYFUSE_FUZZ_DIR}/mutator.cc
    ${TINYFUSE_FUZZ_DIR}/pipeline_runner.cc
    ${TINYFUSE_FUZZ_DIR}/seed_models.cc
    ${TINYFUSE_FUZZ_DIR}/shape_infer.cc)
  target_include_directories(tinyfuse_fuzz_support PUBLIC ${TINYFUSE_FUZZ_DIR})
  target_link_libraries(tinyfuse_fuzz_support PUBLIC tinyfuse_tflite tinyfuse_graph tinyfuse_interp tinyfuse_loop
                        tinyfuse_memory tinyfuse_codegen tinyfuse_driver tinyfuse_test_graphs)

  add_executable(fuzz_tool ${TINYFUSE_FUZZ_DIR}/fuzz_tool.cc)
  target_link_libraries(fuzz_tool PRIVATE tinyfuse_fuzz_support)
endif()
