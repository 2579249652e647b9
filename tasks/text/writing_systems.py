"""Which writing systems a text uses: its main script (ISO 15924) and how much of it that is.

Letters are counted per script; digits, punctuation and symbols belong to none. Chinese is
told apart as simplified (Hans) or traditional (Hant) by characters that exist in only one of
the two forms; Japanese text (Jpan) is Han with kana, Korean (Kore) is hangul with or without
Han. Used by language identification (kana or hangul settle ja/ko where the statistical model
hesitates on short text) and stored as the `script` / `script_share` columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The Han, kana and hangul ranges, as character-class contents: every pattern over these scripts
# (here, in tasks.text.words and in keywords) is built from them.
HAN_EXTENSION_A = r"\u3400-\u4dbf"
HAN_UNIFIED = r"\u4e00-\u9fff"
HAN_COMPATIBILITY = r"\uf900-\ufaff"
HAN = HAN_EXTENSION_A + HAN_UNIFIED + HAN_COMPATIBILITY
YIJING_HEXAGRAMS = r"\u4dc0-\u4dff"  # symbols, not Han, between extension A and the unified block
HIRAGANA = r"\u3041-\u3096"  # the letters of the hiragana block
KATAKANA = r"\u30a1-\u30fa"  # the letters of the katakana block
KATAKANA_EXTENSIONS = r"\u31f0-\u31ff"  # small katakana for Ainu
HALFWIDTH_KATAKANA = r"\uff66-\uff9d"  # the letters, not the sound marks after them
KANA_BLOCKS = r"\u3040-\u30ff"  # the hiragana and katakana blocks whole: with ー, ・ and the sound marks
HANGUL_SYLLABLES = r"\uac00-\ud7a3"
HANGUL_SYLLABLES_BLOCK = r"\uac00-\ud7af"  # the syllables and the 12 unassigned code points closing the block
HANGUL_JAMO = r"\u1100-\u11ff\u3131-\u318e"  # conjoining and compatibility jamo

# One character class per script; the order breaks ties.
_SCRIPT_LETTERS: dict[str, re.Pattern[str]] = {
    "Latn": re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"),
    "Cyrl": re.compile(r"[\u0400-\u052f]"),
    "Arab": re.compile(
        r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"
    ),
    "Hani": re.compile(rf"[{HAN}]"),
    "Kana": re.compile(rf"[{HIRAGANA}{KATAKANA}{KATAKANA_EXTENSIONS}{HALFWIDTH_KATAKANA}]"),
    "Hang": re.compile(rf"[{HANGUL_JAMO}{HANGUL_SYLLABLES}]"),
    "Grek": re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"),
    "Hebr": re.compile(r"[\u05d0-\u05ea]"),
    "Deva": re.compile(r"[\u0900-\u097f]"),
    "Thai": re.compile(r"[\u0e01-\u0e4e]"),
}
# Characters of everyday Chinese that only one of the two standard forms uses.
_SIMPLIFIED_ONLY = frozenset(
    "这们说国时来为对发经过还进问开关长门见现学与业东车动书华区员电话语马鱼鸟龙乐万义习从众传体单卫"
    "县双变听团园报场声处头实导将岁层币师带应庆张强总战护择据无旧显机权条杀极构样桥欢毕气汉没济热爱"
    "产觉计认让议记讲许论设证评识该请读调谈谁资边运远选适闻阳阴队际陆难页项领风飞饭验齐给网亲钱银铁"
    "错间亿乡两严丰临举买卖亚优伤兴养军农减则创剧劳势务压号吗启响围图圆坏块坚备复夺奋妇孙宁宝审岛"
    "归录忆怀态惊戏扩扫扬抢拥挂挤损换摄敌数断杂枪标树档梦检楼欧毁汇泪测润涨湾湿满灭灯灵灾点烟烦烧"
    "爷犹狱猎猫献环画疗疯盐监盖盘矿码础确礼离种积称稳穷竞笔筑简粮紧红约级纪纯纸线练组细终结绕绘络"
    "统继续维综绿缓编缩罗罚职联胜脑脚脸艺节药获营蓝虑虽补装规视览触订讨训讯访诉词译试诗诚询详误诺课谢"
)
_TRADITIONAL_ONLY = frozenset(
    "這們說國時來為對發經過還進問開關長門見現學與業東車動書華區員電話語馬魚鳥龍樂萬義習從眾傳體單衛"
    "縣雙變聽團園報場聲處頭實導將歲層幣師帶應慶張強總戰護擇據無舊顯機權條殺極構樣橋歡畢氣漢沒濟熱愛"
    "產覺計認讓議記講許論設證評識該請讀調談誰資邊運遠選適聞陽陰隊際陸難頁項領風飛飯驗齊給網親錢銀鐵"
    "錯間億鄉兩嚴豐臨舉買賣亞優傷興養軍農減則創劇勞勢務壓號嗎啟響圍圖圓壞塊堅備復奪奮婦孫寧寶審島"
    "歸錄憶懷態驚戲擴掃揚搶擁掛擠損換攝敵數斷雜槍標樹檔夢檢樓歐毀匯淚測潤漲灣濕滿滅燈靈災點煙煩燒"
    "爺猶獄獵貓獻環畫療瘋鹽監蓋盤礦碼礎確禮離種積稱穩窮競筆築簡糧緊紅約級紀純紙線練組細終結繞繪絡"
    "統繼續維綜綠緩編縮羅罰職聯勝腦腳臉藝節藥獲營藍慮雖補裝規視覽觸訂討訓訊訪訴詞譯試詩誠詢詳誤諾課謝"
)
CJK_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Kore"})


@dataclass(frozen=True)
class ScriptProfile:
    script: str | None  # ISO 15924 code of the main script; None when the text has no letters
    share: float  # that script's share of all letters, 0-1
    letters: dict[str, int]  # letters per script (Hani, Kana and Hang counted apart)

    @property
    def has_kana(self) -> bool:
        return self.letters.get("Kana", 0) > 0

    @property
    def has_hangul(self) -> bool:
        return self.letters.get("Hang", 0) > 0


def script_profile(text: str) -> ScriptProfile:
    """The main script of `text` and its share of the letters."""
    letters = {name: n for name, pattern in _SCRIPT_LETTERS.items() if (n := len(pattern.findall(text)))}
    total = sum(letters.values())
    if not total:
        return ScriptProfile(None, 0.0, letters)
    # Japanese and Korean write with more than one script: those count together.
    han, kana, hangul = letters.get("Hani", 0), letters.get("Kana", 0), letters.get("Hang", 0)
    systems = {name: n for name, n in letters.items() if name not in ("Hani", "Kana", "Hang")}
    if hangul:
        systems["Kore"] = hangul + han
    elif kana:
        systems["Jpan"] = kana + han
    elif han:
        systems[_chinese_form(text)] = han
    script = max(systems, key=systems.__getitem__)
    return ScriptProfile(script, round(systems[script] / total, 4), letters)


def _chinese_form(text: str) -> str:
    """Hans or Hant by the characters only one form uses; Hani when the text does not tell."""
    simplified = sum(1 for ch in text if ch in _SIMPLIFIED_ONLY)
    traditional = sum(1 for ch in text if ch in _TRADITIONAL_ONLY)
    if simplified == traditional:
        return "Hani"
    return "Hans" if simplified > traditional else "Hant"
