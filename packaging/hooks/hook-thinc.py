"""thinc: all submodules (registries resolve them by name at run time) and data files, minus
its test suite, which the contrib hook collects too and which nothing in the app imports."""
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("thinc", filter=lambda name: not name.startswith("thinc.tests"))
datas = collect_data_files("thinc", excludes=["tests", "tests/**"])
