# Debian packages (CPack DEB, one per install component):
#   swtee      runtime: the CLI, swteed, the supplicant, swtee-os, the TA
#              host, systemd units, /etc/swtee/swteed.toml, the TA directory
#   libteec2   libteec.so.2 (the GP TEE Client API)
#   swtee-dev  client headers, libteec.so, teec.pc and the TA SDK (headers
#              in include/swtee-ta, user_ta_header.c, find_package(swtee))
# Build them with `cpack --config build/CPackConfig.cmake -B build/packages`
# (or `cmake --build build --target package`). docs/install.md.
set(CPACK_PACKAGE_NAME swtee)
set(CPACK_PACKAGE_VENDOR "swtee")
set(CPACK_PACKAGE_CONTACT "swtee maintainers <swtee@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "user-space Linux TEE subsystem with an OP-TEE driver and a GP trusted OS")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Stage with DESTDIR so install scripts see the real prefix (/usr): the
# systemd units name the installed programs.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime libteec dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME swtee)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "swtee: a software TEE (generic TEE core, OP-TEE driver, GP trusted OS) run as a system service")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/debian/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/conffiles")
set(CPACK_DEBIAN_LIBTEEC_PACKAGE_NAME libteec2)
set(CPACK_DEBIAN_LIBTEEC_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIBTEEC_DESCRIPTION "GlobalPlatform TEE Client API library (swtee's libteec.so.2)")
set(CPACK_DEBIAN_DEV_PACKAGE_NAME swtee-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION "swtee client development files and TA SDK (OP-TEE compatible)")
set(CPACK_COMPONENT_DEV_DEPENDS libteec runtime)

include(CPack)
