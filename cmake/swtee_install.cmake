# The install rules and the find_package(swtee CONFIG) packages of the build
# tree and of an install prefix. Directories: cmake/swtee_install_dirs.cmake.
# Components (the CPack Debian packages, packaging/cpack.cmake):
#   runtime  swtee, swteed, swtee-supplicant, swtee-os, swtee-ta-host, the
#            TA directory, systemd units and the example configuration
#   libteec  libteec.so.2
#   dev      client headers, libteec.so, teec.pc, the TA SDK (headers,
#            user_ta_header.c, CMake package)
# Development keys are never installed: an installed stack trusts only the
# keys its configuration names.
include(CMakePackageConfigHelpers)

# Client-side headers, installed in <includedir> as optee_client installs
# them; every other header in include/ belongs to the TA SDK.
set(SWTEE_CLIENT_HEADERS tee_client_api.h tee_client_api_extensions.h)

function(_swtee_write_config_files)
  set(template "${PROJECT_SOURCE_DIR}/cmake/swteeConfig.cmake.in")
  write_basic_package_version_file("${CMAKE_BINARY_DIR}/swteeConfigVersion.cmake"
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)

  # Build tree: absolute paths into the source and build trees.
  set(SWTEE_CONFIG_PREFIX_CODE "")
  set(SWTEE_CONFIG_INCLUDE_DIR "${PROJECT_SOURCE_DIR}/include")
  set(SWTEE_CONFIG_SDK_INCLUDE_DIR "${PROJECT_SOURCE_DIR}/include")
  set(SWTEE_CONFIG_SDK_SOURCE_DIR "${PROJECT_SOURCE_DIR}/sdk")
  set(SWTEE_CONFIG_SIGN_TOOL "${CMAKE_BINARY_DIR}/bin/swtee")
  if(SWTEE_TA_SIGN_KEY)
    set(SWTEE_CONFIG_SIGN_KEY "${SWTEE_TA_SIGN_KEY}")
  else()
    get_property(SWTEE_CONFIG_SIGN_KEY GLOBAL PROPERTY SWTEE_DEV_KEY)
  endif()
  set(SWTEE_CONFIG_KEY_NOTE "this build tree's TA signing key")
  set(SWTEE_CONFIG_TEEC_LIB "${CMAKE_BINARY_DIR}/lib/libteec.so.2")
  set(SWTEE_CONFIG_SDK_MODULE "${PROJECT_SOURCE_DIR}/cmake/swtee-sdk.cmake")
  set(SWTEE_CONFIG_TA_ABI_LIB "${CMAKE_BINARY_DIR}/lib/ta-abi/libswtee_ta.so.1")
  configure_file("${template}" "${CMAKE_BINARY_DIR}/swteeConfig.cmake" @ONLY)

  # Install prefix: every path relative to the installed config file, so the
  # tree can be installed under any prefix.
  file(RELATIVE_PATH up "/p/${SWTEE_REL_CMAKEDIR}" "/p")
  set(SWTEE_CONFIG_PREFIX_CODE
      "get_filename_component(_swtee_prefix \"\${CMAKE_CURRENT_LIST_DIR}/${up}\" ABSOLUTE)")
  set(SWTEE_CONFIG_INCLUDE_DIR "\${_swtee_prefix}/${SWTEE_REL_INCLUDEDIR}")
  set(SWTEE_CONFIG_SDK_INCLUDE_DIR "\${_swtee_prefix}/${SWTEE_REL_TA_INCLUDEDIR}")
  set(SWTEE_CONFIG_SDK_SOURCE_DIR "\${_swtee_prefix}/${SWTEE_REL_SDKDIR}")
  set(SWTEE_CONFIG_SIGN_TOOL "\${_swtee_prefix}/${SWTEE_REL_BINDIR}/swtee")
  set(SWTEE_CONFIG_SIGN_KEY "")
  set(SWTEE_CONFIG_KEY_NOTE "none, set it to your vendor key")
  set(SWTEE_CONFIG_TEEC_LIB "\${_swtee_prefix}/${SWTEE_REL_LIBDIR}/libteec.so.2")
  set(SWTEE_CONFIG_SDK_MODULE "\${CMAKE_CURRENT_LIST_DIR}/swtee-sdk.cmake")
  set(SWTEE_CONFIG_TA_ABI_LIB "\${_swtee_prefix}/${SWTEE_REL_LIBDIR}/swtee/libswtee_ta.so.1")
  configure_file("${template}" "${CMAKE_BINARY_DIR}/install-config/swteeConfig.cmake" @ONLY)
endfunction()

function(_swtee_install_now)
  _swtee_write_config_files()

  # The TA link-time ABI (src/ta_runtime): TAs built against the installed
  # SDK link with it, so a missing runtime function fails their link.
  if(TARGET swtee_ta_abi)
    install(TARGETS swtee_ta_abi LIBRARY DESTINATION "${SWTEE_REL_LIBDIR}/swtee" COMPONENT dev NAMELINK_SKIP)
  endif()

  # Client library and headers.
  if(TARGET teec)
    install(TARGETS teec
            LIBRARY DESTINATION "${SWTEE_REL_LIBDIR}" COMPONENT libteec NAMELINK_COMPONENT dev)
  endif()
  foreach(h IN LISTS SWTEE_CLIENT_HEADERS)
    install(FILES "${PROJECT_SOURCE_DIR}/include/${h}" DESTINATION "${SWTEE_REL_INCLUDEDIR}" COMPONENT dev)
  endforeach()
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/swtee/" DESTINATION "${SWTEE_REL_INCLUDEDIR}/swtee"
          COMPONENT dev FILES_MATCHING PATTERN "*.h")
  install(FILES "${CMAKE_BINARY_DIR}/install-config/teec.pc" DESTINATION "${SWTEE_REL_PKGCONFIGDIR}" COMPONENT dev)

  # The TA SDK: its headers in their own folder, the TA header source and
  # the CMake package with add_trusted_application().
  file(GLOB sdk_headers RELATIVE "${PROJECT_SOURCE_DIR}/include" "${PROJECT_SOURCE_DIR}/include/*.h")
  list(REMOVE_ITEM sdk_headers ${SWTEE_CLIENT_HEADERS})
  list(TRANSFORM sdk_headers PREPEND "${PROJECT_SOURCE_DIR}/include/")
  install(FILES ${sdk_headers} DESTINATION "${SWTEE_REL_TA_INCLUDEDIR}" COMPONENT dev)
  install(FILES "${PROJECT_SOURCE_DIR}/sdk/user_ta_header.c" DESTINATION "${SWTEE_REL_SDKDIR}" COMPONENT dev)
  install(FILES
            "${PROJECT_SOURCE_DIR}/cmake/swtee-sdk.cmake"
            "${CMAKE_BINARY_DIR}/install-config/swteeConfig.cmake"
            "${CMAKE_BINARY_DIR}/swteeConfigVersion.cmake"
          DESTINATION "${SWTEE_REL_CMAKEDIR}" COMPONENT dev)

  # Programs: the CLI in bin, the services in sbin, the trusted OS and the
  # TA host (never run by hand) in libexec/swtee.
  foreach(p swtee)
    if(TARGET ${p})
      install(TARGETS ${p} RUNTIME DESTINATION "${SWTEE_REL_BINDIR}" COMPONENT runtime)
    endif()
  endforeach()
  foreach(p swteed swtee-supplicant)
    if(TARGET ${p})
      install(TARGETS ${p} RUNTIME DESTINATION "${SWTEE_REL_SBINDIR}" COMPONENT runtime)
    endif()
  endforeach()
  foreach(p swtee-os swtee-ta-host)
    if(TARGET ${p})
      install(TARGETS ${p} RUNTIME DESTINATION "${SWTEE_REL_LIBEXECDIR}" COMPONENT runtime)
    endif()
  endforeach()
  # The default TA directory exists (empty: the TAs built here are signed
  # with this tree's development key and are not installed).
  install(DIRECTORY DESTINATION "${SWTEE_REL_TADIR}" COMPONENT runtime)
  # systemd units and /etc/swtee/swteed.toml, written for the prefix being
  # installed to (packaging/systemd/install_units.cmake.in).
  configure_file("${PROJECT_SOURCE_DIR}/packaging/systemd/install_units.cmake.in"
                 "${CMAKE_BINARY_DIR}/install-config/install_units.cmake" @ONLY)
  install(SCRIPT "${CMAKE_BINARY_DIR}/install-config/install_units.cmake" COMPONENT runtime)
endfunction()

# Run at the end of the top-level configure, once every target exists.
cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _swtee_install_now)
