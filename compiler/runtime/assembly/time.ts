// time.parse_rfc3339_ns: Go's time.Parse(time.RFC3339, s) to nanoseconds since the Unix epoch.
// "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)", fields range-checked as Go does (day within month,
// second < 60); results outside i64 nanoseconds (years 1678..2261) are errors.

function digits(p: usize, n: u32): i32 {
  let v: i32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let c = <u32>load<u8>(p + i) - 0x30;
    if (c >= 10) return -1;
    v = v * 10 + <i32>c;
  }
  return v;
}

function daysInMonth(y: i64, m: i32): i32 {
  if (m == 2) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
  if (m == 4 || m == 6 || m == 9 || m == 11) return 30;
  return 31;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
function daysFromCivil(y: i64, m: i64, d: i64): i64 {
  y -= m <= 2 ? 1 : 0;
  let era = (y >= 0 ? y : y - 399) / 400;
  let yoe = y - era * 400;
  let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

export let timeOk: bool = false;

/** Nanoseconds since the epoch; timeOk is false if the text is not RFC 3339 or out of range. */
export function parseRFC3339(p: usize, n: u32): i64 {
  timeOk = false;
  if (n < 20) return 0;
  if (load<u8>(p, 4) != 0x2d || load<u8>(p, 7) != 0x2d || load<u8>(p, 10) != 0x54) return 0;
  if (load<u8>(p, 13) != 0x3a || load<u8>(p, 16) != 0x3a) return 0;
  let y = digits(p, 4);
  let mo = digits(p + 5, 2);
  let d = digits(p + 8, 2);
  let h = digits(p + 11, 2);
  let mi = digits(p + 14, 2);
  let s = digits(p + 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return 0;
  if (d > daysInMonth(y, mo)) return 0;
  let i: u32 = 19;
  let frac: i64 = 0;
  if (i < n && load<u8>(p + i) == 0x2e) {
    i++;
    let k: u32 = 0;
    while (i < n && <u32>load<u8>(p + i) - 0x30 < 10) {
      if (k >= 9) return 0;
      frac = frac * 10 + <i64>(load<u8>(p + i) - 0x30);
      k++;
      i++;
    }
    if (k == 0) return 0;
    for (; k < 9; k++) frac *= 10;
  }
  if (i >= n) return 0;
  let off: i64 = 0;
  let z = load<u8>(p + i);
  if (z == 0x5a) {
    i++;
  } else if (z == 0x2b || z == 0x2d) {
    if (i + 6 != n || load<u8>(p + i + 3) != 0x3a) return 0;
    let oh = digits(p + i + 1, 2);
    let om = digits(p + i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return 0;
    off = (<i64>oh * 3600 + <i64>om * 60) * (z == 0x2d ? -1 : 1);
    i += 6;
  } else return 0;
  if (i != n) return 0;
  let secs = daysFromCivil(y, mo, d) * 86400 + <i64>h * 3600 + <i64>mi * 60 + <i64>s - off;
  // i64 nanoseconds cover about ±292 years around 1970
  if (secs < -9223372036 || secs > 9223372035) return 0;
  timeOk = true;
  return secs * 1000000000 + frac;
}
