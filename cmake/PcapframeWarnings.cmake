# SPDX-License-Identifier: MIT
# Warning flags for every pcapframe target, and the sanitizer switch.
add_library(pcapframe_warnings INTERFACE)
target_compile_options(pcapframe_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wnon-virtual-dtor
  -Wimplicit-fallthrough -Wswitch
  $<$<BOOL:${PCAPFRAME_WERROR}>:-Werror>)

if(PCAPFRAME_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
endif()
