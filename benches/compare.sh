#!/usr/bin/env bash
# Whole-process comparison of `certgate lint` with `openssl` (and `certtool` when
# installed) on a corpus built here with openssl:
#
#   bundle.pem   N leaf certificates in one file (their CA absent: no signature checks)
#   files/       the same N leaves, one per file
#   chains/      N files of leaf + its CA (two signature checks each: link and root)
#
# Usage: benches/compare.sh [N]   (default 2000; needs openssl; builds certgate --release)
# Prints wall time, certificates/s, peak RSS and the ratios. The corpus is kept in
# $CORPUS (default target/compare-corpus) and reused when it has the right size.
set -euo pipefail

N=${1:-2000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
CORPUS=${CORPUS:-$TARGET/compare-corpus}
AT=2027-01-01T00:00:00Z  # inside every corpus certificate's validity
BIN=$TARGET/release/certgate

command -v openssl >/dev/null || { echo "compare.sh needs openssl" >&2; exit 2; }
(cd "$ROOT" && cargo build --release --quiet && cargo build --release --quiet --example bare_parse)
BARE=$TARGET/release/examples/bare_parse

build_corpus() {
    rm -rf "$CORPUS" && mkdir -p "$CORPUS/files" "$CORPUS/chains" "$CORPUS/work/new"
    local w=$CORPUS/work
    openssl ecparam -name prime256v1 -genkey -noout -out "$w/ca.key" 2>/dev/null
    openssl req -x509 -new -key "$w/ca.key" -subj "/CN=compare CA" -days 3650 \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign \
        -out "$w/ca.pem" 2>/dev/null
    openssl ecparam -name prime256v1 -genkey -noout -out "$w/leaf.key" 2>/dev/null
    openssl req -new -key "$w/leaf.key" -subj "/CN=www.example.com" -out "$w/leaf.csr" 2>/dev/null
    : >"$w/index.txt"
    echo 01 >"$w/serial"
    cat >"$w/ca.cnf" <<CNF
[ca]
default_ca = compare
[compare]
dir = $w
database = $w/index.txt
new_certs_dir = $w/new
serial = $w/serial
certificate = $w/ca.pem
private_key = $w/ca.key
default_md = sha256
default_startdate = 20260101000000Z
default_enddate = 20280101000000Z
policy = anything
unique_subject = no
copy_extensions = none
x509_extensions = leaf
[anything]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
subjectAltName = DNS:www.example.com
extendedKeyUsage = serverAuth
CNF
    # One openssl process signs all N leaves (the same CSR, distinct serials).
    local csrs=()
    for _ in $(seq 1 "$N"); do csrs+=("$w/leaf.csr"); done
    openssl ca -batch -notext -config "$w/ca.cnf" -out "$w/last.pem" -infiles "${csrs[@]}" 2>/dev/null
    local n=0
    for f in $(ls "$w/new" | sort); do
        n=$((n + 1))
        mv "$w/new/$f" "$CORPUS/files/$(printf 'leaf%05d.pem' "$n")"
    done
    cat "$CORPUS"/files/leaf*.pem >"$CORPUS/bundle.pem"
    for f in "$CORPUS"/files/leaf*.pem; do
        b=$(basename "$f" .pem)
        cat "$f" "$w/ca.pem" >"$CORPUS/chains/${b/leaf/chain}.pem"
    done
    echo "$N" >"$CORPUS/size"
}

if [ "$(cat "$CORPUS/size" 2>/dev/null)" != "$N" ]; then
    echo "building a corpus of $N certificates with openssl in $CORPUS ..." >&2
    build_corpus
fi

# Median wall seconds of 5 runs, and the peak RSS (KiB) of the last one.
measure() {
    local times=() rss=0
    for _ in 1 2 3 4 5; do
        local out
        /usr/bin/time -o "$CORPUS/time" -f '%e %M' "$@" >/dev/null 2>&1 || true
        out=$(tail -1 "$CORPUS/time")
        times+=("${out% *}")
        rss=${out#* }
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
    echo "$median $rss"
}

# The lint rows take tens of milliseconds: /usr/bin/time's 10 ms steps are too coarse.
# Median wall seconds of 11 runs timed with bash's EPOCHREALTIME (read without a fork
# inside the timed interval; `date +%s%N` otherwise), and the peak RSS (KiB) of one
# more run under /usr/bin/time.
measure_precise() {
    local times=() rss s e
    for _ in $(seq 1 11); do
        if [ -n "${EPOCHREALTIME:-}" ]; then s=${EPOCHREALTIME/[.,]/}; else s=$(($(date +%s%N) / 1000)); fi
        "$@" >/dev/null 2>&1 || true
        if [ -n "${EPOCHREALTIME:-}" ]; then e=${EPOCHREALTIME/[.,]/}; else e=$(($(date +%s%N) / 1000)); fi
        times+=("$(awk -v d=$((e - s)) 'BEGIN { printf "%.4f", d / 1e6 }')")
    done
    /usr/bin/time -o "$CORPUS/time" -f '%M' "$@" >/dev/null 2>&1 || true
    rss=$(tail -1 "$CORPUS/time")
    echo "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 6p) $rss"
}

rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t <= 0) t = 0.005; printf "%.0f", n / t }'; }

row() { # name certs cmd...   (ROW_MEASURE=measure_precise for short runs)
    local name=$1 certs=$2
    shift 2
    local m t rss
    m=$(${ROW_MEASURE:-measure} "$@")
    t=${m% *}
    rss=${m#* }
    printf '%-40s %8s s %10s certs/s %7.1f MiB\n' "$name" "$t" "$(rate "$certs" "$t")" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
    echo "$t" >"$CORPUS/last"
}

[ -x /usr/bin/time ] || { echo "compare.sh needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "corpus: $N certificates; certgate lint rows: median of 11 whole-process runs"
echo "(microsecond timer); other rows: median of 5 (/usr/bin/time, 10 ms steps)"
echo

ROW_MEASURE=measure_precise row "certgate lint bundle.pem" "$N" "$BIN" lint "$CORPUS/bundle.pem" --at $AT -f json
t_cg_bundle=$(cat "$CORPUS/last")
ROW_MEASURE=measure_precise row "certgate lint files/" "$N" "$BIN" lint "$CORPUS/files" --at $AT -f json
t_cg_files=$(cat "$CORPUS/last")
ROW_MEASURE=measure_precise row "certgate lint chains/ (verifying)" "$N" "$BIN" lint "$CORPUS/chains" --at $AT -f json
t_cg_chains=$(cat "$CORPUS/last")
# The reference the issue's rate targets are relative to: a bare x509-parser program
# (examples/bare_parse.rs: PEM split, parse, touch the fields; one thread, no rules).
ROW_MEASURE=measure_precise row "x509-parser bare parse bundle.pem" "$N" "$BARE" "$CORPUS/bundle.pem"
t_bare=$(cat "$CORPUS/last")
# The floor for files/: only opening and reading the N files (one `cat` process).
ROW_MEASURE=measure_precise row "cat files/* (reading floor)" "$N" sh -c "cat '$CORPUS'/files/* >/dev/null"
t_cat=$(cat "$CORPUS/last")

# openssl: parse and print every certificate of the bundle (one process), and verify
# every leaf against its CA (one process for all: `openssl verify` takes many files).
row "openssl storeutl bundle.pem (parse)" "$N" openssl storeutl -noout -text "$CORPUS/bundle.pem"
t_os_bundle=$(cat "$CORPUS/last")
row "openssl verify files/* (verifying)" "$N" sh -c "openssl verify -no-CApath -no-CAstore -CAfile '$CORPUS/work/ca.pem' -attime 1798761600 '$CORPUS'/files/*.pem"
t_os_verify=$(cat "$CORPUS/last")
if command -v certtool >/dev/null; then
    row "certtool --certificate-info bundle.pem" "$N" sh -c "certtool --certificate-info --load-certificate '$CORPUS/bundle.pem' >/dev/null"
fi
echo
awk -v a="$t_cg_bundle" -v b="$t_bare" 'BEGIN { if (a <= 0) a = 0.005; printf "bundle: certgate lint runs at %.0f%% of the bare x509-parser rate (target >= 40%%)\n", 100 * b / a }'
awk -v a="$t_cg_files" -v b="$t_cat" 'BEGIN { if (a <= 0) a = 0.005; printf "files/: certgate lint takes %.1fx the time of reading the files with cat\n", a / b }'
awk -v a="$t_cg_bundle" -v b="$t_os_bundle" 'BEGIN { if (a <= 0) a = 0.005; printf "bundle: certgate is %.1fx the speed of openssl storeutl\n", b / a }'
awk -v a="$t_cg_chains" -v b="$t_os_verify" 'BEGIN { if (a <= 0) a = 0.005; printf "verifying: certgate is %.1fx the speed of openssl verify\n", b / a }'
awk -v a="$t_cg_files" -v b="$t_cg_chains" -v n="$N" 'BEGIN { printf "verification overhead: %.1f us per chain (its link: 1 ECDSA P-256 verification; the shared root self-signature is checked once per process)\n", (b - a) * 1e6 / n }'

# check: one typical ELB request (leaf + 2 intermediates, RSA-2048, 5 domains), whole
# process. Process creation costs differ a lot between machines, so the same loop also
# times the floors (/bin/true, `certgate --version`) and GnuTLS `certtool -i` on the leaf
# alone. Every command is started by this shell and timed with bash's $EPOCHREALTIME
# (no `date` process per sample, which would cost as much as what is measured); the
# commands take turns within each round so that load changes hit them all alike.
RUNS=${CHECK_RUNS:-200}
REQ=$ROOT/corpus/huawei-elb-v3/pass-typical.json
LEAF=$CORPUS/leaf.pem
awk '{ print } /-----END CERTIFICATE-----/ { exit }' "$ROOT/corpus/materials/server-chain.pem" >"$LEAF"
"$BIN" check -p huawei-elb-v3 "$REQ" --at 2026-06-01T00:00:00Z >/dev/null ||
    { echo "certgate check $REQ failed" >&2; exit 2; }
names=("/bin/true" "certgate --version" "certgate check pass-typical.json")
if command -v certtool >/dev/null && certtool -i --infile "$LEAF" >/dev/null 2>&1; then
    names+=("certtool -i leaf.pem")
fi
run_cmd() {
    case $1 in
        0) /bin/true ;;
        1) "$BIN" --version ;;
        2) "$BIN" check -p huawei-elb-v3 "$REQ" --at 2026-06-01T00:00:00Z ;;
        3) certtool -i --infile "$LEAF" ;;
    esac
}
LC_ALL=C  # $EPOCHREALTIME with a "." decimal point, whatever the locale
samples=()
for ((k = 0; k < ${#names[@]}; k++)); do samples[k]=""; done
for ((r = 0; r < RUNS; r++)); do
    for ((k = 0; k < ${#names[@]}; k++)); do
        s=$EPOCHREALTIME
        run_cmd "$k" >/dev/null 2>&1 || true
        e=$EPOCHREALTIME
        samples[k]+="$s $e "
    done
done
echo
echo "check: whole-process wall time, median of $RUNS runs each (interleaved)"
medians=()
for ((k = 0; k < ${#names[@]}; k++)); do
    # Samples are "start end" pairs of seconds with 6 decimals; median in microseconds.
    medians[k]=$(echo "${samples[k]}" | awk '{ for (i = 1; i < NF; i += 2) printf "%.0f\n", ($(i+1) - $i) * 1e6 }' |
        sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')
    printf '  %-40s %7s us\n' "${names[k]}" "${medians[k]}"
done
if [ ${#names[@]} -gt 3 ]; then
    awk -v c="${medians[2]}" -v t="${medians[3]}" -v f="${medians[1]}" 'BEGIN {
        printf "certgate check / certtool -i leaf: %.2fx wall", c / t
        printf " (above the certgate --version floor: check +%d us)\n", c - f }'
else
    awk -v c="${medians[2]}" -v f="${medians[1]}" 'BEGIN {
        printf "certtool not installed; certgate check is +%d us above certgate --version\n", c - f }'
fi
