# The install layout (GNUInstallDirs), shared by the install rules, the
# programs (src/common/install_dirs.h.in) and CPack (packaging/cpack.cmake).
# Every directory is kept relative to the prefix so that
# `cmake --install build --prefix P` relocates the whole tree.
include(GNUInstallDirs)

function(_swtee_rel_dir out dir)
  if(IS_ABSOLUTE "${dir}")
    file(RELATIVE_PATH dir "${CMAKE_INSTALL_PREFIX}" "${dir}")
  endif()
  set(${out} "${dir}" PARENT_SCOPE)
endfunction()

_swtee_rel_dir(SWTEE_REL_BINDIR "${CMAKE_INSTALL_BINDIR}")
_swtee_rel_dir(SWTEE_REL_SBINDIR "${CMAKE_INSTALL_SBINDIR}")
_swtee_rel_dir(SWTEE_REL_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
_swtee_rel_dir(_libexec "${CMAKE_INSTALL_LIBEXECDIR}")
_swtee_rel_dir(_include "${CMAKE_INSTALL_INCLUDEDIR}")
_swtee_rel_dir(_data "${CMAKE_INSTALL_DATADIR}")
set(SWTEE_REL_LIBEXECDIR "${_libexec}/swtee")        # swtee-os, swtee-ta-host
set(SWTEE_REL_TADIR "${SWTEE_REL_LIBDIR}/swtee/ta")    # default TA directory
set(SWTEE_REL_INCLUDEDIR "${_include}")               # tee_client_api.h, swtee/uapi/tee.h
set(SWTEE_REL_TA_INCLUDEDIR "${_include}/swtee-ta")   # the TA SDK headers
set(SWTEE_REL_SDKDIR "${_data}/swtee/sdk")            # user_ta_header.c
set(SWTEE_REL_CMAKEDIR "${SWTEE_REL_LIBDIR}/cmake/swtee")
set(SWTEE_REL_PKGCONFIGDIR "${SWTEE_REL_LIBDIR}/pkgconfig")
set(SWTEE_REL_SYSTEMDDIR "lib/systemd/system" CACHE STRING "systemd unit directory, relative to the prefix")
