# SPDX-License-Identifier: MIT
# `cmake --install` lays out headers, the stage libraries, the CLI and a package config so
# that another project can `find_package(pcapframe)` and link `pcapframe::pcapframe`.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/pcapframe
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS pcapframe pcapframe_io pcapframe_decode pcapframe_table pcapframe_analysis
                pcapframe_export pcapframe_resolve pcapframe_live pcapframe_warnings
        EXPORT pcapframeTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(PCAPFRAME_BUILD_CLI)
  install(TARGETS pcapframe_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/pcapframe)
install(EXPORT pcapframeTargets NAMESPACE pcapframe:: DESTINATION ${config_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/pcapframeConfig.cmake.in
  ${PROJECT_BINARY_DIR}/pcapframeConfig.cmake INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pcapframeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/pcapframeConfig.cmake
              ${PROJECT_BINARY_DIR}/pcapframeConfigVersion.cmake
        DESTINATION ${config_dir})
