# swtee TA SDK for CMake.
#
#   add_trusted_application(<name>
#     UUID <uuid>                 the TA's UUID (8-4-4-4-12); names the image
#     SOURCES <src>...            C/C++ sources of the TA
#     [INCLUDE_DIRS <dir>...]     must include the dir with user_ta_header_defines.h
#                                 (default: the current source dir)
#     [GP11]                      build against GP TEE Internal Core API 1.1
#                                 (__OPTEE_CORE_API_COMPAT_1_1=1)
#     [LOG_LEVEL <0..4>]          CFG_TEE_TA_LOG_LEVEL (default: all trace
#                                 compiled in, the runtime filters)
#     [OUTPUT_DIR <dir>])         where <uuid>.ta goes (default SWTEE_TA_OUTPUT_DIR)
#
# Builds MODULE library <name> (<name>.so, linked against nothing: the
# TEE_* symbols resolve from the TA host when it loads the TA) from SOURCES
# plus the SDK's user_ta_header.c, then signs it into <OUTPUT_DIR>/<uuid>.ta
# with `swtee sign` (target <name>_ta, part of ALL).
#
# Configuration (read when this file is included):
#   SWTEE_SDK_INCLUDE_DIR   SDK headers            (default <this dir>/../include)
#   SWTEE_SDK_SOURCE_DIR    dir of user_ta_header.c (default <this dir>/../sdk)
#   SWTEE_SIGN_TOOL         the swtee CLI; empty in the swtee tree, where the
#                           `swtee` target is used
#   SWTEE_TA_SIGN_KEY       PEM private key; empty means the build tree's
#                           development key, generated once at build time
#                           (target swtee_dev_key, <build>/keys/ta_dev_key.pem)
#   SWTEE_TA_OUTPUT_DIR     default output dir (default <build>/ta)
#   SWTEE_TA_ABI_LIB        the TA link-time ABI library (libswtee_ta.so.1:
#                           what the TA runtime exports). TAs link against
#                           it with -Wl,--no-undefined, so a call to a
#                           function the runtime lacks fails the link. Empty
#                           in the swtee tree, where target swtee_ta_abi is used.
include_guard(GLOBAL)
if(CMAKE_VERSION VERSION_LESS 3.19)
  message(FATAL_ERROR "the swtee SDK needs CMake 3.19 or newer (cmake_language DEFER)")
endif()

if(NOT SWTEE_SDK_INCLUDE_DIR)
  get_filename_component(SWTEE_SDK_INCLUDE_DIR "${CMAKE_CURRENT_LIST_DIR}/../include" ABSOLUTE)
endif()
if(NOT SWTEE_SDK_SOURCE_DIR)
  get_filename_component(SWTEE_SDK_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/../sdk" ABSOLUTE)
endif()
if(NOT SWTEE_TA_OUTPUT_DIR)
  set(SWTEE_TA_OUTPUT_DIR "${CMAKE_BINARY_DIR}/ta")
endif()
set(SWTEE_TA_SIGN_KEY "${SWTEE_TA_SIGN_KEY}" CACHE FILEPATH
    "PEM private key that signs TAs (empty: the build tree's development key)")
set(SWTEE_DEV_KEY "${CMAKE_BINARY_DIR}/keys/ta_dev_key.pem")
set(SWTEE_DEV_PUBKEY "${CMAKE_BINARY_DIR}/keys/ta_dev_key.pub.pem")

foreach(_f tee_internal_api.h swtee_ta_info.h user_ta_header.h)
  if(NOT EXISTS "${SWTEE_SDK_INCLUDE_DIR}/${_f}")
    message(FATAL_ERROR "swtee SDK: ${_f} not found in SWTEE_SDK_INCLUDE_DIR=${SWTEE_SDK_INCLUDE_DIR}")
  endif()
endforeach()
if(NOT EXISTS "${SWTEE_SDK_SOURCE_DIR}/user_ta_header.c")
  message(FATAL_ERROR "swtee SDK: user_ta_header.c not found in SWTEE_SDK_SOURCE_DIR=${SWTEE_SDK_SOURCE_DIR}")
endif()

# Functions run in the caller's directory scope, so the configuration is
# kept in global properties rather than in this file's variables.
set_property(GLOBAL PROPERTY SWTEE_SDK_INCLUDE_DIR "${SWTEE_SDK_INCLUDE_DIR}")
set_property(GLOBAL PROPERTY SWTEE_SDK_SOURCE_DIR "${SWTEE_SDK_SOURCE_DIR}")
set_property(GLOBAL PROPERTY SWTEE_TA_OUTPUT_DIR "${SWTEE_TA_OUTPUT_DIR}")
set_property(GLOBAL PROPERTY SWTEE_SIGN_TOOL "${SWTEE_SIGN_TOOL}")
set_property(GLOBAL PROPERTY SWTEE_TA_SIGN_KEY "${SWTEE_TA_SIGN_KEY}")
set_property(GLOBAL PROPERTY SWTEE_DEV_KEY "${SWTEE_DEV_KEY}")
set_property(GLOBAL PROPERTY SWTEE_DEV_PUBKEY "${SWTEE_DEV_PUBKEY}")
set_property(GLOBAL PROPERTY SWTEE_TA_ABI_LIB "${SWTEE_TA_ABI_LIB}")
set_property(GLOBAL PROPERTY SWTEE_TA_SANITIZED "${SWTEE_SANITIZE}")

# The sign tool as a command-line word: a path, or the in-tree target.
function(_swtee_sign_tool out_cmd out_dep)
  get_property(tool GLOBAL PROPERTY SWTEE_SIGN_TOOL)
  if(tool)
    set(${out_cmd} "${tool}" PARENT_SCOPE)
    set(${out_dep} "" PARENT_SCOPE)
  elseif(TARGET swtee)
    set(${out_cmd} "$<TARGET_FILE:swtee>" PARENT_SCOPE)
    set(${out_dep} swtee PARENT_SCOPE)
  else()
    set(${out_cmd} "" PARENT_SCOPE)
    set(${out_dep} "" PARENT_SCOPE)
  endif()
endfunction()

# Creates the development key rule once (target swtee_dev_key). Keys are
# build products: never in the source tree.
function(_swtee_dev_key_rule)
  if(TARGET swtee_dev_key)
    return()
  endif()
  _swtee_sign_tool(tool tool_dep)
  get_property(key GLOBAL PROPERTY SWTEE_DEV_KEY)
  get_property(pub GLOBAL PROPERTY SWTEE_DEV_PUBKEY)
  get_filename_component(key_dir "${key}" DIRECTORY)
  add_custom_command(
    OUTPUT "${key}" "${pub}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${key_dir}"
    COMMAND ${tool} sign --gen-key --key "${key}" --pub "${pub}"
    DEPENDS ${tool_dep}
    COMMENT "Generating the TA development signing key (${key})"
    VERBATIM)
  add_custom_target(swtee_dev_key ALL DEPENDS "${key}" "${pub}")
endfunction()

# Links TA `so_target` against the runtime's export list with
# -Wl,--no-undefined (deferred, like signing: the in-tree swtee_ta_abi target
# may be defined later). Sanitized builds leave the sanitizer runtime
# undefined in every shared object, so they keep the load-time check only.
function(_swtee_ta_abi_link so_target)
  get_property(sanitized GLOBAL PROPERTY SWTEE_TA_SANITIZED)
  if(sanitized)
    return()
  endif()
  get_property(abi GLOBAL PROPERTY SWTEE_TA_ABI_LIB)
  if(NOT abi AND TARGET swtee_ta_abi)
    set(abi swtee_ta_abi)
  endif()
  if(NOT abi)
    message(WARNING "swtee SDK: no TA ABI library (SWTEE_TA_ABI_LIB unset): "
                    "${so_target} is linked without the undefined-symbol check")
    return()
  endif()
  target_link_libraries(${so_target} PRIVATE ${abi})
  target_link_options(${so_target} PRIVATE -Wl,--no-undefined)
endfunction()

# Second half of add_trusted_application, run at the end of the top-level
# configure so that an in-tree `swtee` target defined later is visible.
function(_swtee_ta_sign_rule name uuid so_target out_dir)
  _swtee_ta_abi_link(${so_target})
  _swtee_sign_tool(tool tool_dep)
  if(NOT tool)
    message(WARNING "swtee SDK: no sign tool (no `swtee` target, SWTEE_SIGN_TOOL unset): "
                    "${name} is built but not signed")
    return()
  endif()
  get_property(key GLOBAL PROPERTY SWTEE_TA_SIGN_KEY)
  set(key_dep "")
  if(NOT key)
    _swtee_dev_key_rule()
    get_property(key GLOBAL PROPERTY SWTEE_DEV_KEY)
    set(key_dep swtee_dev_key "${key}")
  endif()
  set(image "${out_dir}/${uuid}.ta")
  add_custom_command(
    OUTPUT "${image}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${out_dir}"
    COMMAND ${tool} sign --key "${key}" --in "$<TARGET_FILE:${so_target}>" --out "${image}" --uuid "${uuid}"
    DEPENDS ${so_target} ${tool_dep} ${key_dep}
    COMMENT "Signing TA ${name} -> ${image}"
    VERBATIM)
  add_custom_target(${name}_ta ALL DEPENDS "${image}")
  set_target_properties(${so_target} PROPERTIES SWTEE_TA_IMAGE "${image}")
endfunction()

function(add_trusted_application name)
  cmake_parse_arguments(TA "GP11" "UUID;OUTPUT_DIR;LOG_LEVEL" "SOURCES;INCLUDE_DIRS" ${ARGN})
  if(TA_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "add_trusted_application(${name}): unknown arguments: ${TA_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TA_UUID)
    message(FATAL_ERROR "add_trusted_application(${name}): UUID is required")
  endif()
  string(TOLOWER "${TA_UUID}" uuid)
  # CMake regexes have no {n}: spell the groups out.
  set(h "[0-9a-f]")
  set(h4 "${h}${h}${h}${h}")
  if(NOT uuid MATCHES "^${h4}${h4}-${h4}-${h4}-${h4}-${h4}${h4}${h4}$")
    message(FATAL_ERROR "add_trusted_application(${name}): UUID '${TA_UUID}' is not 8-4-4-4-12 hex")
  endif()
  if(NOT TA_SOURCES)
    message(FATAL_ERROR "add_trusted_application(${name}): SOURCES is required")
  endif()
  if(DEFINED TA_LOG_LEVEL AND NOT TA_LOG_LEVEL MATCHES "^[0-4]$")
    message(FATAL_ERROR "add_trusted_application(${name}): LOG_LEVEL must be 0..4")
  endif()
  get_property(sdk_inc GLOBAL PROPERTY SWTEE_SDK_INCLUDE_DIR)
  get_property(sdk_src GLOBAL PROPERTY SWTEE_SDK_SOURCE_DIR)
  set(out_dir "${TA_OUTPUT_DIR}")
  if(NOT out_dir)
    get_property(out_dir GLOBAL PROPERTY SWTEE_TA_OUTPUT_DIR)
  elseif(NOT IS_ABSOLUTE "${out_dir}")
    set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/${out_dir}")
  endif()
  set(include_dirs ${TA_INCLUDE_DIRS})
  if(NOT include_dirs)
    set(include_dirs "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()

  add_library(${name} MODULE ${TA_SOURCES} "${sdk_src}/user_ta_header.c")
  target_include_directories(${name} PRIVATE ${include_dirs} "${sdk_inc}")
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    POSITION_INDEPENDENT_CODE ON
    C_VISIBILITY_PRESET default
    CXX_VISIBILITY_PRESET default
    LIBRARY_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}"
    SWTEE_TA_UUID "${uuid}")
  if(TA_GP11)
    target_compile_definitions(${name} PRIVATE __OPTEE_CORE_API_COMPAT_1_1=1)
  endif()
  if(DEFINED TA_LOG_LEVEL)
    target_compile_definitions(${name} PRIVATE CFG_TEE_TA_LOG_LEVEL=${TA_LOG_LEVEL})
  endif()

  # DEFER evaluates variable references only when the call runs; EVAL
  # fixes this call's values now.
  cmake_language(EVAL CODE
    "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL _swtee_ta_sign_rule [[${name}]] [[${uuid}]] [[${name}]] [[${out_dir}]])")
endfunction()
