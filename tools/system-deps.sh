#!/usr/bin/env bash
# Check the system packages decks needs and install the missing ones with apt-get.
#   tools/system-deps.sh decks   Pango (for WeasyPrint) and the fonts decks measures and embeds
#   tools/system-deps.sh test    the above, plus LibreOffice and poppler for the render tests
# Without apt-get or root rights it prints the exact command to run and stops.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-crosextra-carlito fonts-crosextra-caladea
          fonts-liberation2 fonts-dejavu-core fonts-noto-color-emoji fonts-noto-cjk)
if [ "${1:-decks}" = test ]; then
  packages+=(libreoffice-impress libreoffice-math poppler-utils)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "decks: not a Debian/Ubuntu system; make sure these are installed: Pango, Carlito, Caladea,"
  echo "       Liberation 2, DejaVu and Noto Color Emoji fonts (and LibreOffice Impress for the tests)."
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "decks: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "decks: installing system packages with sudo: ${missing[*]}"
  sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "decks: these system packages are missing: ${missing[*]}"
  echo "       install them, then run make again:  sudo apt-get update && sudo $command"
  exit 1
fi
