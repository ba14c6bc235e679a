/**
 * Places outside the new Cần Thơ city that citizens name when they ask about "their" ward: the
 * provinces and centrally-run cities (before and after the 2025 merger) and a few well-known
 * cities. A commune question naming one of them is answered "outside Cần Thơ", never matched
 * against a same-name unit of Cần Thơ. Pure data; names as written, folded when indexed.
 */

/** Provinces and centrally-run cities of Việt Nam (63 before 1/7/2025; the 34 after keep these names). */
export const PROVINCES: readonly string[] = [
  'An Giang', 'Bà Rịa - Vũng Tàu', 'Bà Rịa Vũng Tàu', 'Bạc Liêu', 'Bắc Giang', 'Bắc Kạn', 'Bắc Ninh',
  'Bến Tre', 'Bình Dương', 'Bình Định', 'Bình Phước', 'Bình Thuận', 'Cà Mau', 'Cao Bằng', 'Cần Thơ',
  'Đà Nẵng', 'Đắk Lắk', 'Đắk Nông', 'Điện Biên', 'Đồng Nai', 'Đồng Tháp', 'Gia Lai', 'Hà Giang',
  'Hà Nam', 'Hà Nội', 'Hà Tĩnh', 'Hải Dương', 'Hải Phòng', 'Hậu Giang', 'Hòa Bình', 'Hồ Chí Minh',
  'Hưng Yên', 'Khánh Hòa', 'Kiên Giang', 'Kon Tum', 'Lai Châu', 'Lâm Đồng', 'Lạng Sơn', 'Lào Cai',
  'Long An', 'Nam Định', 'Nghệ An', 'Ninh Bình', 'Ninh Thuận', 'Phú Thọ', 'Phú Yên', 'Quảng Bình',
  'Quảng Nam', 'Quảng Ngãi', 'Quảng Ninh', 'Quảng Trị', 'Sóc Trăng', 'Sơn La', 'Tây Ninh',
  'Thái Bình', 'Thái Nguyên', 'Thanh Hóa', 'Thừa Thiên Huế', 'Tiền Giang', 'Trà Vinh',
  'Tuyên Quang', 'Vĩnh Long', 'Vĩnh Phúc', 'Yên Bái',
];

/** Other ways of writing some of them (folded forms are added automatically). */
export const PROVINCE_ALIASES: Readonly<Record<string, string>> = {
  'TP HCM': 'Hồ Chí Minh',
  TPHCM: 'Hồ Chí Minh',
  HCM: 'Hồ Chí Minh',
  HCMC: 'Hồ Chí Minh',
  'Sài Gòn': 'Hồ Chí Minh',
  Saigon: 'Hồ Chí Minh',
  'Ho Chi Minh City': 'Hồ Chí Minh',
  Hanoi: 'Hà Nội',
  'Da Nang': 'Đà Nẵng',
  Danang: 'Đà Nẵng',
  BRVT: 'Bà Rịa - Vũng Tàu',
  'Vũng Tàu': 'Bà Rịa - Vũng Tàu',
  // Well-known cities below province level, named alone as a place ("phường X ở Biên Hòa").
  'Thủ Đức': 'Hồ Chí Minh',
  'Biên Hòa': 'Đồng Nai',
  'Nha Trang': 'Khánh Hòa',
  'Đà Lạt': 'Lâm Đồng',
  'Long Xuyên': 'An Giang',
  'Châu Đốc': 'An Giang',
  'Rạch Giá': 'Kiên Giang',
  'Phú Quốc': 'Kiên Giang',
  'Mỹ Tho': 'Tiền Giang',
  'Cao Lãnh': 'Đồng Tháp',
  'Sa Đéc': 'Đồng Tháp',
  'Thủ Dầu Một': 'Bình Dương',
  'Quy Nhơn': 'Bình Định',
  'Buôn Ma Thuột': 'Đắk Lắk',
  'Vĩnh Yên': 'Vĩnh Phúc',
};

/** The province-level names the new Cần Thơ city was formed from (NQ 202/2025/QH15). */
export const HOME_PROVINCES: readonly string[] = ['Cần Thơ', 'Sóc Trăng', 'Hậu Giang'];

/**
 * Short forms citizens write for the three former provinces and their cities ("P.3 TPST",
 * "xã Phú Tân, Châu Thành, ST"): each reads as the name it stands for, with all its meanings.
 */
export const HOME_ALIASES: Readonly<Record<string, string>> = {
  TPST: 'Sóc Trăng',
  ST: 'Sóc Trăng',
  HG: 'Hậu Giang',
  TPCT: 'Cần Thơ',
  CT: 'Cần Thơ',
  TPVT: 'Vị Thanh',
};
