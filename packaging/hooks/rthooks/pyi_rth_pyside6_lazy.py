# PyInstaller run-time hook for PySide6 (packaging/hooks/rthooks.dat puts it in place of
# PyInstaller's own pyi_rth_pyside6): the same set-up, except that Qt's relocated prefix
# (an embedded qt.conf) is registered when PySide6.QtCore is first imported instead of at
# every start. PyInstaller's hook imports QtCore to do it, so `netapp --version` and every
# command-line command loaded Qt first: about 150 ms of a 220 ms `--version` (issue 20).


def _pyi_rthook():
    import importlib.abc
    import importlib.util
    import os
    import sys

    from _pyi_rth_utils import is_macos_app_bundle, prepend_path_to_environment_variable
    from _pyi_rth_utils import qt as qt_rth_utils

    qt_rth_utils.ensure_single_qt_bindings_package("PySide6")
    if sys.platform.startswith("win"):
        qt_path = os.path.join(sys._MEIPASS, "PySide6")
    else:
        qt_path = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_path, "plugins")
    if is_macos_app_bundle:
        res_path = os.path.normpath(
            os.path.join(sys._MEIPASS, "..", "Resources", os.path.relpath(qt_path, sys._MEIPASS))
        )
        os.environ["QML2_IMPORT_PATH"] = os.pathsep.join(
            [os.path.join(res_path, "qml"), os.path.join(qt_path, "qml")]
        )
    else:
        os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_path, "qml")
    if sys.platform.startswith("win"):
        prepend_path_to_environment_variable(sys._MEIPASS, "PATH")
    if sys.platform == "darwin" and not is_macos_app_bundle:
        prepend_path_to_environment_variable(sys._MEIPASS, "DYLD_LIBRARY_PATH")

    class QtConfOnFirstImport(importlib.abc.MetaPathFinder):
        """Register the embedded qt.conf right after PySide6.QtCore is loaded, once."""

        def find_spec(self, name, path=None, target=None):
            if name != "PySide6.QtCore":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                qt_rth_utils.create_embedded_qt_conf("PySide6", qt_path)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, QtConfOnFirstImport())


_pyi_rthook()
del _pyi_rthook
