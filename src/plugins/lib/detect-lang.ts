/**
 * Detects the language of a text from its scripts: Han-majority text is
 * Chinese (zh-TW when traditional characters outnumber simplified ones,
 * zh-CN otherwise), kana makes it Japanese, hangul Korean; anything else is
 * English.
 */

// Characters that exist only in one of the two Chinese scripts (common ones).
const TRADITIONAL = '這個們來說對時會國與為學後過還麼現經發關點動機長問題實將體見開當電義頭給門車東聽難邊兩總認話讓應從無種於產進樣內業軍處議務書愛區歲術線區報場變與並幾氣當聯邊隊靈說號讀壓親觀選營團從際鐵網華語憂漢眾權據導響雖雙寫蘭歷藝廣錢萬問會員檢據層傳專師門範買賣銀餘擊';
const SIMPLIFIED = '这个们来说对时会国与为学后过还么现经发关点动机长问题实将体见开当电义头给门车东听难边两总认话让应从无种于产进样内业军处议务书爱区岁术线区报场变与并几气当联边队灵说号读压亲观选营团从际铁网华语忧汉众权据导响虽双写兰历艺广钱万问会员检据层传专师门范买卖银余击';

const HAN = /\p{Script=Han}/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HANGUL = /\p{Script=Hangul}/gu;
const LATIN_WORD = /[A-Za-z\u00c0-\u024f]+/g;

const count = (value: string, pattern: RegExp): number => value.match(pattern)?.length ?? 0;

export function detectLang(value: string): string {
  const han = count(value, HAN);
  const kana = count(value, KANA);
  const hangul = count(value, HANGUL);
  const latinWords = count(value, LATIN_WORD);
  // One CJK character carries about as much as one Latin word.
  if (han + kana + hangul <= latinWords) return 'en';
  if (hangul > han + kana) return 'ko';
  if (kana > 0 && kana >= 0.1 * (han + kana)) return 'ja';
  if (hangul > 0 && hangul >= han + kana) return 'ko';
  if (han === 0) return kana > 0 ? 'ja' : 'en';
  let traditional = 0;
  let simplified = 0;
  for (const char of value) {
    if (TRADITIONAL.includes(char)) traditional++;
    else if (SIMPLIFIED.includes(char)) simplified++;
  }
  return traditional > simplified ? 'zh-TW' : 'zh-CN';
}
