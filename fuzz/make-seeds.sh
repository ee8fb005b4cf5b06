#!/usr/bin/env bash
# Cuts the seed corpora out of the project's own fixtures: the head of each file, ended at a
# line break (the first chunk of an .evtx), so that seeds stay small and fuzzing stays fast.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import os, pathlib
root = pathlib.Path("fixtures")
out = pathlib.Path("fuzz/seeds")
def head(path, limit=6000):
    data = (root / path).read_bytes()
    if len(data) <= limit:
        return data
    cut = data.rfind(b"\n", 0, limit)
    return data[: cut + 1 if cut > 0 else limit]
def seed(target, name, data, prefix=b""):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(prefix + data)
for f in ["formats/portal_current_utf8bom.csv", "formats/portal_legacy_layout_utf8.csv",
          "formats/portal_excel_resave_shift_jis.csv", "formats/log_analytics_portal_export.csv",
          "formats/portal_current_date_header_ja.csv"]:
    seed("audit_csv", pathlib.Path(f).name, head(f))
# UTF-16 heads must stay whole code units.
for f in ["formats/portal_current_utf16le.csv"]:
    seed("audit_csv", pathlib.Path(f).name, head(f, 6000)[:6000 // 2 * 2])
for i, f in enumerate(["formats/portal_download_bare_array.json", "formats/portal_download_value_wrapper.json",
          "formats/graph_pages/directoryAudits_page001.json", "formats/event_hub_diagnostic_PT1H.json",
          "formats/log_analytics_query_rows.json"]):
    seed("audit_json", pathlib.Path(f).name, head(f, 8000), b"\x00")
seed("audit_json", "graph_directory_audits.ndjson", head("formats/graph_directory_audits.ndjson", 8000), b"\x01")
for f in ["onprem/viewer_csv_en/CONNECT01.csv", "onprem/viewer_csv_ja/CONNECT01.csv",
          "onprem/viewer_csv_en_unregistered/CONNECT01.csv", "onprem/viewer_txt_ja/CONNECT01.txt",
          "onprem/powershell_csv_type/CONNECT01.csv", "onprem/powershell_csv_notype/CONNECT01.csv"]:
    seed("event_table", f.split("/")[1] + "_" + pathlib.Path(f).name, head(f))
for f in ["onprem/xml_event_viewer/CONNECT01.xml", "onprem/xml_wevtutil/CONNECT01.xml"]:
    seed("event_xml", f.split("/")[1] + ".xml", head(f))
seed("evtx", "CONNECT02_first_chunk.evtx", (root / "onprem/evtx/CONNECT02.evtx").read_bytes()[: 4096 + 65536])
seed("workbook", "portal_registrations.xlsx", (root / "directory/registrations/portal.xlsx").read_bytes())
for d, target in [("directory/registrations", "registration"), ("directory/usage", "registration"),
                  ("directory/licenses", "license")]:
    for f in sorted((root / d).iterdir()):
        if f.suffix == ".csv":
            seed(target, f.name, head(f.relative_to(root)), b"\x00")
        elif f.suffix == ".json":
            seed(target, f.name, head(f.relative_to(root), 8000), b"\x01")
# `run`: a whole run on one file of any kind (no reader-picking byte).
for f in ["formats/portal_current_utf8bom.csv", "formats/graph_directory_audits.ndjson",
          "onprem/xml_wevtutil/CONNECT02.xml", "directory/registrations/portal.csv",
          "directory/licenses/ActiveUsers.csv"]:
    seed("run", pathlib.Path(f).name, head(f, 8000))
messages = [
    (0, "PasswordResetRequestStart, Details: User1@Contoso.com"),
    (1, "TrackingId: 5d1c1a2b-0f3e-4c8a-9b7d-2e6f8a9c0b1d, PasswordResetSuccess, Details: Context: cloudAnchor: User_0a1b2c3d, SourceAnchorValue: dGVzdA==, UserPrincipalName: user1@contoso.com, unblockUser: True"),
    (5, "TrackingId: abc, ResetUserPasswordByAdminSuccess, Details: Context: cloudAnchor: User_1, AdminUpn: Admin@contoso.com, UserPrincipalName hanako@contoso.com"),
    (7, "TrackingId: t1, PasswordResetFail, UserPrincipalName: u@x.jp, Details: PasswordResetException: Synchronization Engine returned an error hr=80230619, message=A restriction prevents the password from being changed., Context: cloudAnchor: User_1"),
    (8, "An unexpected error has occurred during a password set operation.\nBAIL: MMS(4924): admaexport.cpp(2837): 0x80230619 (A restriction prevents the password from being changed)"),
    (0, "ソース \"PasswordResetService\" からのイベント ID 31001 の説明が見つかりません。\r\n\r\nイベントには次の情報が含まれています: \r\n\r\nPasswordResetRequestStart, Details: hanako@contoso.co.jp"),
]
for i, (pick, text) in enumerate(messages):
    seed("event_message", f"message{i}", text.encode(), bytes([pick]))
PY
du -sh fuzz/seeds
