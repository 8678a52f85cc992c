#!/usr/bin/env bash
# Downloads the ECG Sentinel development records from PhysioNet into the layout that
# ../shared/data/README.md describes (and that DataDirs / the tests expect).
#
# Resumable: files that are already present and verify are skipped, partial downloads
# (*.part) are continued. Verification: every file is checked against PhysioNet's
# SHA256SUMS.txt for its dataset version, and, when a dataset folder already holds our own
# SHA256SUMS.txt (as the shared copy does), against that too.
#
# Run `download-data.sh --help` for the options.

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT

BASE_URL="https://physionet.org/files"
DEST="${ECG_DATA_DIR:-${REPO_ROOT}/../shared/data}"
PTBXL_VERSION="1.0.1"
CINC_VERSION="1.0.3"
DRY_RUN=0
VERIFY_REMOTE=1
# the mapping CSVs of the CinC 2021 evaluation code, at the commit the shared copy used
CINC_MAPPING_URL="${ECG_CINC_MAPPING_URL:-https://raw.githubusercontent.com/physionetchallenges/evaluation-2021/e2a75fc01f729cb74cc4e853e054ce81e28381fc}"

readonly ALL_DATASETS=(mitdb nstdb ptbxl ptbdb cinc2021 cpsc2021)

# Record lists of the development split (used when the dataset folder has no RECORDS yet).
# mitdb: DS1 of de Chazal et al. (2004) plus the paced records 102 104 107 217.
readonly MITDB_RECORDS=(101 102 104 106 107 108 109 112 114 115 116 118 119 122 124
                        201 203 205 207 208 209 215 217 220 223 230)
readonly NSTDB_RECORDS=(118e12 118e24)
readonly PTBDB_RECORDS=(s0010_re)
readonly CPSC_RECORDS=(data_8_2 data_8_3 data_8_4 data_21_7 data_21_8 data_21_9 data_92_4 data_92_12 data_92_19)
# ptbxl: ecg_id 1-1999 with strat_fold 1-8, except the duplicate 1370; 500 Hz only for ecg_id <= 500
readonly PTBXL_MAX_ID=1999
readonly PTBXL_MAX_FOLD=8
readonly PTBXL_HR_MAX_ID=500
readonly PTBXL_EXCLUDED_IDS="1370"

usage() {
    cat <<EOF
Usage: $(basename "$0") [options] [DATASET...]

Downloads the development ECG records from PhysioNet into DEST/<dataset>/, in the layout of
shared/data/README.md. DATASET is any of: ${ALL_DATASETS[*]} (default: all).
ecg5000 (UCR archive) is not on PhysioNet and is not downloaded.

Options:
  -d, --dest DIR          target directory (default: \$ECG_DATA_DIR, else
                          <repo>/../shared/data = ${DEST})
  -n, --dry-run           print what would be downloaded, download nothing but the
                          small index files needed to find the records
      --ptbxl-version V   PTB-XL version on PhysioNet (default ${PTBXL_VERSION}; the shared copy
                          uses the v1.0.1 metadata, and 1.0.2+ dropped some duplicate ids)
      --cinc-version V    CinC Challenge 2021 version (default ${CINC_VERSION})
      --base-url URL      PhysioNet files root (default ${BASE_URL})
      --no-remote-sums    do not fetch PhysioNet's SHA256SUMS.txt (skips that check; the
                          challenge-2021 list is about 15 MB)
  -h, --help              show this help

Record lists: DEST/<dataset>/RECORDS when it exists (so an existing copy is completed or
repaired exactly), else the development split of the README, written to RECORDS.
Needs bash 4+, curl or wget, sha256sum (GNU coreutils), awk.
EOF
}

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- downloading -----------------------------------------------------------------------

# fetch URL FILE: download URL to FILE, resuming FILE.part; returns non-zero on failure.
fetch() {
    local url="$1" file="$2"
    mkdir -p "$(dirname "${file}")"
    local part="${file}.part"
    if command -v curl >/dev/null 2>&1; then
        curl -fsSL --retry 3 --retry-delay 2 -C - -o "${part}" "${url}" || return 1
    elif command -v wget >/dev/null 2>&1; then
        wget -q -c -t 3 -O "${part}" "${url}" || return 1
    else
        die "need curl or wget"
    fi
    mv -f "${part}" "${file}"
}

sha256_of() {
    sha256sum "$1" | awk '{print $1}'
}

# expected_sum SUMS_FILE REL_PATH: the hash PhysioNet lists for REL_PATH, or nothing.
expected_sum() {
    local sums="$1" rel="$2"
    [[ -s "${sums}" ]] || return 0
    awk -v p="${rel}" '{ f = $2; sub(/^\*/, "", f); if (f == p) { print $1; exit } }' "${sums}"
}

# remote_path SUMS_FILE NAME: the path (relative to the dataset root) of the file whose base
# name is NAME, taken from PhysioNet's SHA256SUMS.txt (which lists every file).
remote_path() {
    local sums="$1" name="$2"
    awk -v n="${name}" '{ f = $2; sub(/^\*/, "", f); k = split(f, parts, "/");
                          if (parts[k] == n) { print f; exit } }' "${sums}"
}

# get URL FILE EXPECTED_SHA256: skip when FILE exists and matches, else (re)download and check.
get() {
    local url="$1" file="$2" want="${3:-}"
    if [[ -s "${file}" ]]; then
        if [[ -z "${want}" || "$(sha256_of "${file}")" == "${want}" ]]; then
            return 0
        fi
        log "checksum mismatch, downloading again: ${file}"
        rm -f "${file}" "${file}.part"
    fi
    if [[ "${DRY_RUN}" -eq 1 ]]; then
        log "would download ${url} -> ${file}"
        return 0
    fi
    fetch "${url}" "${file}" || die "download failed: ${url}"
    if [[ -n "${want}" ]]; then
        local got
        got="$(sha256_of "${file}")"
        if [[ "${got}" != "${want}" ]]; then
            mv -f "${file}" "${file}.bad"
            die "SHA-256 of ${file} is ${got}, PhysioNet lists ${want} (kept as ${file}.bad)"
        fi
    fi
}

# load_sums NAME VERSION_URL NEEDED: sets SUMS to the cached path of PhysioNet's SHA256SUMS.txt
# for a dataset version (also fetched in dry-run mode: it is small and tells where each record
# lives). NEEDED=1 when the dataset has subfolders, so the list is required to find files.
SUMS=""
load_sums() {
    local name="$1" url="$2" needed="$3"
    SUMS="${DEST}/.download-cache/${name}-SHA256SUMS.txt"
    if [[ -s "${SUMS}" ]] || [[ "${VERIFY_REMOTE}" -eq 0 && "${needed}" -eq 0 ]]; then
        return 0
    fi
    if ! fetch "${url}/SHA256SUMS.txt" "${SUMS}"; then
        [[ "${needed}" -eq 0 ]] || die "cannot fetch ${url}/SHA256SUMS.txt, needed to find the ${name} records"
        log "warning: ${url}/SHA256SUMS.txt not available; ${name} is checked against local sums only"
        rm -f "${SUMS}" "${SUMS}.part"
    fi
}

# records_of DATASET DEFAULTS...: the record list, from DEST/DATASET/RECORDS if present.
records_of() {
    local dataset="$1"
    shift
    local file="${DEST}/${dataset}/RECORDS"
    if [[ -s "${file}" ]]; then
        tr -d '\r' <"${file}" | awk 'NF { print $1 }'
    else
        printf '%s\n' "$@"
    fi
}

write_records() {
    local dataset="$1"
    shift
    local file="${DEST}/${dataset}/RECORDS"
    if [[ "${DRY_RUN}" -eq 0 && ! -s "${file}" ]]; then
        mkdir -p "${DEST}/${dataset}"
        printf '%s\n' "$@" >"${file}"
    fi
}

# check_local_sums DATASET: verify against our own SHA256SUMS.txt when the folder has one.
check_local_sums() {
    local dir="${DEST}/$1"
    if [[ "${DRY_RUN}" -eq 0 && -s "${dir}/SHA256SUMS.txt" ]]; then
        (cd "${dir}" && sha256sum --quiet -c --ignore-missing SHA256SUMS.txt) \
            || die "$1: files differ from ${dir}/SHA256SUMS.txt"
        log "$1: matches SHA256SUMS.txt"
    fi
}

# flat_dataset DATASET SLUG VERSION "EXTS" SUBFOLDERS RECORDS...: records stored flat in
# DEST/DATASET whatever their folder on PhysioNet (SUBFOLDERS=1 when they are in subfolders
# there, found through the dataset's SHA256SUMS.txt).
flat_dataset() {
    local dataset="$1" slug="$2" version="$3" exts="$4" subfolders="$5"
    shift 5
    local url="${BASE_URL}/${slug}/${version}"
    load_sums "${dataset}" "${url}" "${subfolders}"
    local ext_list=()
    read -r -a ext_list <<<"${exts}"
    local rec ext name rel
    for rec in "$@"; do
        for ext in "${ext_list[@]}"; do
            name="${rec}.${ext}"
            rel="${name}"
            if [[ -s "${SUMS}" ]]; then
                rel="$(remote_path "${SUMS}" "${name}")"
                [[ -n "${rel}" ]] || die "${dataset}: ${name} is not listed in ${url}/SHA256SUMS.txt"
            fi
            get "${url}/${rel}" "${DEST}/${dataset}/${name}" "$(expected_sum "${SUMS}" "${rel}")"
        done
    done
    write_records "${dataset}" "$@"
    check_local_sums "${dataset}"
    log "${dataset}: $# records"
}

# --- datasets --------------------------------------------------------------------------

do_mitdb() {
    local recs
    mapfile -t recs < <(records_of mitdb "${MITDB_RECORDS[@]}")
    flat_dataset mitdb mitdb 1.0.0 "hea dat atr" 0 "${recs[@]}"
}

do_nstdb() {
    local recs
    mapfile -t recs < <(records_of nstdb "${NSTDB_RECORDS[@]}")
    flat_dataset nstdb nstdb 1.0.0 "hea dat atr" 0 "${recs[@]}"
}

do_ptbdb() {
    local recs
    mapfile -t recs < <(records_of ptbdb "${PTBDB_RECORDS[@]}")
    # PhysioNet keeps it as patient001/s0010_re; here it is flat
    flat_dataset ptbdb ptbdb 1.0.0 "hea dat xyz" 1 "${recs[@]}"
}

do_cpsc2021() {
    local recs
    mapfile -t recs < <(records_of cpsc2021 "${CPSC_RECORDS[@]}")
    flat_dataset cpsc2021 cpsc2021 1.0.0 "hea dat atr" 1 "${recs[@]}"
}

do_cinc2021() {
    local defaults=() i
    for i in $(seq 7500 7515); do defaults+=("E0${i}"); done
    for i in $(seq 6000 6007); do defaults+=("HR0${i}"); done
    for i in $(seq 20000 20015); do defaults+=("JS${i}"); done
    local recs f
    mapfile -t recs < <(records_of cinc2021 "${defaults[@]}")
    for f in dx_mapping_scored.csv dx_mapping_unscored.csv; do
        get "${CINC_MAPPING_URL}/${f}" "${DEST}/cinc2021/${f}" ""
    done
    # records live in training/<source>/g<n>/ on PhysioNet
    flat_dataset cinc2021 challenge-2021 "${CINC_VERSION}" "hea mat" 1 "${recs[@]}"
}

do_ptbxl() {
    local url="${BASE_URL}/ptb-xl/${PTBXL_VERSION}"
    local dir="${DEST}/ptbxl"
    load_sums "ptbxl-${PTBXL_VERSION}" "${url}" 0
    local sums="${SUMS}"
    # the full table (all 21,837 rows), needed even in dry-run mode to select the records
    local full="${DEST}/.download-cache/ptbxl-${PTBXL_VERSION}-ptbxl_database.csv"
    local saved="${DRY_RUN}"
    DRY_RUN=0
    get "${url}/ptbxl_database.csv" "${full}" "$(expected_sum "${sums}" ptbxl_database.csv)"
    DRY_RUN="${saved}"
    get "${url}/scp_statements.csv" "${dir}/scp_statements.csv" "$(expected_sum "${sums}" scp_statements.csv)"
    get "${url}/LICENSE.txt" "${dir}/LICENSE.txt" "$(expected_sum "${sums}" LICENSE.txt)"

    local recs
    if [[ -s "${dir}/RECORDS" ]]; then
        mapfile -t recs < <(records_of ptbxl)
    else
        # strat_fold, filename_lr and filename_hr are the last three columns and never
        # quoted, so splitting on commas from the end is safe even though reports contain commas
        mapfile -t recs < <(awk -F, -v maxid="${PTBXL_MAX_ID}" -v maxfold="${PTBXL_MAX_FOLD}" \
            -v hrmax="${PTBXL_HR_MAX_ID}" -v excl="${PTBXL_EXCLUDED_IDS}" '
            BEGIN { n = split(excl, e, " "); for (i = 1; i <= n; i++) skip[e[i]] = 1 }
            NR > 1 && $1 + 0 <= maxid && $(NF - 2) + 0 <= maxfold && !($1 in skip) {
                sub(/\r$/, "", $NF); lr[++m] = $(NF - 1); if ($1 + 0 <= hrmax) hr[++k] = $NF }
            END { for (i = 1; i <= m; i++) print lr[i]; for (i = 1; i <= k; i++) print hr[i] }' "${full}")
    fi
    [[ "${#recs[@]}" -gt 0 ]] || die "ptbxl: no records selected"

    # the metadata rows of the records we keep, unchanged (ids from the 100 Hz names)
    if [[ "${DRY_RUN}" -eq 0 ]]; then
        mkdir -p "${dir}"
        local ids="${DEST}/.download-cache/ptbxl-ids.txt"
        printf '%s\n' "${recs[@]}" \
            | awk -F/ '$1 == "records100" { id = $3; sub(/_lr$/, "", id); print id + 0 }' >"${ids}"
        awk -F, 'NR == FNR { keep[$1] = 1; next } FNR == 1 || (($1 + 0) in keep)' \
            "${ids}" "${full}" >"${dir}/ptbxl_database.csv"
    fi

    local rec ext
    for rec in "${recs[@]}"; do
        for ext in hea dat; do
            get "${url}/${rec}.${ext}" "${dir}/${rec}.${ext}" "$(expected_sum "${sums}" "${rec}.${ext}")"
        done
    done
    write_records ptbxl "${recs[@]}"
    check_local_sums ptbxl
    log "ptbxl: ${#recs[@]} records (100 Hz and 500 Hz)"
}

# --- main ------------------------------------------------------------------------------

main() {
    local datasets=()
    while [[ $# -gt 0 ]]; do
        case "$1" in
            -d|--dest) [[ $# -ge 2 ]] || die "$1 needs a directory"; DEST="$2"; shift 2 ;;
            -n|--dry-run) DRY_RUN=1; shift ;;
            --ptbxl-version) [[ $# -ge 2 ]] || die "$1 needs a version"; PTBXL_VERSION="$2"; shift 2 ;;
            --cinc-version) [[ $# -ge 2 ]] || die "$1 needs a version"; CINC_VERSION="$2"; shift 2 ;;
            --base-url) [[ $# -ge 2 ]] || die "$1 needs a URL"; BASE_URL="${2%/}"; shift 2 ;;
            --no-remote-sums) VERIFY_REMOTE=0; shift ;;
            -h|--help) usage; exit 0 ;;
            -*) usage >&2; die "unknown option $1" ;;
            ecg5000) log "ecg5000 comes from the UCR archive, not PhysioNet: not downloaded"; shift ;;
            *)
                local known=0 d
                for d in "${ALL_DATASETS[@]}"; do [[ "$1" == "${d}" ]] && known=1; done
                [[ "${known}" -eq 1 ]] || die "unknown dataset $1 (known: ${ALL_DATASETS[*]})"
                datasets+=("$1"); shift ;;
        esac
    done
    [[ ${#datasets[@]} -gt 0 ]] || datasets=("${ALL_DATASETS[@]}")
    command -v sha256sum >/dev/null 2>&1 || die "need sha256sum"
    command -v awk >/dev/null 2>&1 || die "need awk"

    mkdir -p "${DEST}"
    DEST="$(cd "${DEST}" && pwd)"
    log "downloading ${datasets[*]} into ${DEST}"
    local d
    for d in "${datasets[@]}"; do
        "do_${d}"
    done
    log "done"
}

main "$@"
