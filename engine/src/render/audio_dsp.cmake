# cutroom::audio_dsp: gain, segment fades and the true-peak limiter used by the renderer.
# Included from this folder's CMakeLists.txt.
add_library(cutroom_audio_dsp ${CMAKE_CURRENT_LIST_DIR}/audio_dsp.cc)
add_library(cutroom::audio_dsp ALIAS cutroom_audio_dsp)
target_link_libraries(cutroom_audio_dsp PUBLIC cutroom::base)

cutroom_add_test(audio_dsp_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/audio_dsp_test.cc
                 LIBS cutroom::audio_dsp cutroom::audio_analysis)
