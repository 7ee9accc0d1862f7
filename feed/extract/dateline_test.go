package extract

import "testing"

// TestDatelinesInAnyCase: datelines in ordinary case and in scripts without
// case give their place, and leave a sentence; dashes inside prose do not.
func TestDatelinesInAnyCase(t *testing.T) {
	tests := []struct {
		name, in, place, rest string
	}{
		{"English, with a date", "London, March 3 - Stocks fell", "London", "Stocks fell"},
		{"German", "Wien – Die Regierung hat", "Wien", "Die Regierung hat"},
		{"German, en dash", "Damaskus – Syrische Truppen rückten vor", "Damaskus", "Syrische Truppen rückten vor"},
		{"a place of several words", "Rio de Janeiro – Die Stadt feiert", "Rio de Janeiro", "Die Stadt feiert"},
		{"Russian in capitals, with a date", "ТЕГЕРАН, 3 марта – Президент Ирана", "Тегеран", "Президент Ирана"},
		{"Russian in ordinary case", "Тегеран, 3 марта – Президент Ирана", "Тегеран", "Президент Ирана"},
		{"Arabic with an agency", "طهران (رويترز) - قال مسؤولون", "طهران", "قال مسؤولون"},
		{"Arabic alone", "دمشق - قال مسؤولون", "دمشق", "قال مسؤولون"},
		{"Persian with an agency", "تهران (ایرنا) - رئیس جمهور گفت", "تهران", "رئیس جمهور گفت"},
		{"Chinese with an agency in full-width brackets", "北京（路透社）- 国家统计局周三公布", "北京", "国家统计局周三公布"},
		{"Japanese with a full-width dash", "東京（ロイター）－日銀は金曜日", "東京", "日銀は金曜日"},
		{"a dash before a lower-case word", "Apple – the iPhone maker – said", "", "Apple – the iPhone maker – said"},
		{"an article is no place", "Die – oder der? – Frage bleibt", "", "Die – oder der? – Frage bleibt"},
		{"an English opener is no place", "The Chancellor – Mr Smith – spoke", "", "The Chancellor – Mr Smith – spoke"},
		{"two places: the first is the category", "BERLIN/PARIS (Reuters) - Germany and France agreed", "Berlin", "Germany and France agreed"},
		{"two places of two words", "NEW DELHI/ISLAMABAD (Reuters) - India and Pakistan", "New Delhi", "India and Pakistan"},
		{"two places in ordinary case", "Berlin/Paris (dpa) - Deutschland und Frankreich", "Berlin", "Deutschland und Frankreich"},
		{"two places, no agency", "BERLIN/PARIS – Germany and France", "Berlin", "Germany and France"},
		{"a story label is no place", "Update - Stocks fell", "", "Stocks fell"},
		{"Exclusive", "Exclusive - The company plans", "", "The company plans"},
		{"Analysis, en dash", "Analysis – Why markets fell", "", "Why markets fell"},
		{"German label", "Kommentar – Die Regierung irrt", "", "Die Regierung irrt"},
		{"Photo", "Photo - A crowd gathers", "", "A crowd gathers"},
		{"a label in capitals", "EXCLUSIVE - The company plans", "", "The company plans"},
		{"a label before a dateline", "Exclusive - LONDON (Reuters) - The company plans", "London", "The company plans"},
		{"Spanish label", "Análisis – El Gobierno falla", "", "El Gobierno falla"},
		{"Xinhua", "新华社北京11月30日电（记者 张三）国家统计局周三公布", "北京", "国家统计局周三公布"},
		{"RIA Novosti", "МОСКВА, 30 ноя — РИА Новости. Президент России заявил", "Москва", "Президент России заявил"},
		{"RIA Novosti with its reporter", "МОСКВА, 30 ноя — РИА Новости, Мария Иванова. Президент России", "Москва", "Президент России"},
		{"Sputnik in ordinary case", "Москва, 30 ноября – Sputnik. Президент России", "Москва", "Президент России"},
		{"a lead that names the agency", "МОСКВА, 30 ноя — РИА Новости сообщили. Президент", "Москва", "РИА Новости сообщили. Президент"},
		{"a lead that names agencies", "МОСКВА, 30 ноя — РИА Новости, ТАСС и Интерфакс сообщили о взрыве. Второе", "Москва", "РИА Новости, ТАСС и Интерфакс сообщили о взрыве. Второе"},
		{"a lead with a clause after the agency", "МОСКВА, 30 ноя — Sputnik, по словам источника, покинул рынок. Второе", "Москва", "Sputnik, по словам источника, покинул рынок. Второе"},
		{"Xinhua without a reporter", "新华社乌鲁木齐11月30日电 国家统计局周三公布", "乌鲁木齐", "国家统计局周三公布"},
		{"a Chinese site without a place", "中新网11月30日电 国家统计局周三公布", "", "国家统计局周三公布"},
		{"full-width digits", "中新社上海１１月３０日电 国家统计局周三公布", "上海", "国家统计局周三公布"},
		{"a compound with a full-width dash is no dateline", "中国－东盟博览会今天在南宁开幕", "", "中国－东盟博览会今天在南宁开幕"},
		{"a score is no dateline", "日本－韓国戦は３－１で日本が勝った", "", "日本－韓国戦は３－１で日本が勝った"},
		{"TASS", "МОСКВА, 30 ноября. /ТАСС/. Правительство России одобрило", "Москва", "Правительство России одобрило"},
		{"TASS, a correspondent", "САНКТ-ПЕТЕРБУРГ, 30 ноября. /Корр. ТАСС Иван Петров/. Музей открылся", "Санкт-Петербург", "Музей открылся"},
		{"TASS in ordinary case", "Москва, 30 ноября. /ТАСС/. Правительство России одобрило", "Москва", "Правительство России одобрило"},
		{"a Japanese place in brackets", "【東京】政府は30日", "東京", "政府は30日"},
		{"Kyodo", "【ワシントン共同】米政府は30日", "ワシントン", "米政府は30日"},
		{"Jiji", "【北京時事】中国政府は30日", "北京", "中国政府は30日"},
		{"a date alone is no dateline", "11月30日电 国家统计局周三公布", "", "11月30日电 国家统计局周三公布"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			place, rest := splitDateline(tt.in)
			if place != tt.place || rest != tt.rest {
				t.Errorf("splitDateline(%q) = %q, %q; want %q, %q", tt.in, place, rest, tt.place, tt.rest)
			}
		})
	}
}

// TestWireLeadOrHeadline: a first line is a wire lead only when the
// dateline opens a sentence of a few words; a headline that ends in "-
// U.S." or asks a question stays a title.
func TestWireLeadOrHeadline(t *testing.T) {
	tests := []struct {
		name, in, title, place string
	}{
		{"headline ending in U.S., in capitals", "APPLE SHARES JUMP - U.S.\n\nShares of Apple rose on Monday.\n",
			"APPLE SHARES JUMP - U.S.", ""},
		{"headline ending in U.S.", "Apple Shares Jump - U.S.\n\nShares of Apple rose on Monday.\n",
			"Apple Shares Jump - U.S.", ""},
		{"headline with a question", "Brexit - What Happens Next?\n\nNobody knows yet, officials said.\n",
			"Brexit - What Happens Next?", ""},
		{"German headline", "Berlin – Ein Wintermärchen\n\nDie Stadt lag unter Schnee.\n", "Berlin – Ein Wintermärchen", ""},
		{"dateline in ordinary case opens the lead", "London, March 3 - Stocks fell sharply on Monday. Traders sold banks.\n",
			"Stocks fell sharply on Monday", "London"},
		{"a lead line in ordinary case", "Wien – Die Stadt feiert den Sieg.\n\nDie Fans jubelten bis spät.\n",
			"Die Stadt feiert den Sieg", "Wien"},
		{"Chinese dateline", "北京（路透社）- 国家统计局周三公布的数据显示，十月份工业产出同比增长百分之五。分析人士此前预计增幅会更小。",
			"国家统计局周三公布的数据显示，十月份工业产出同比增长百分之五", "北京"},
		{"Chinese wire lead on its own line", "北京（路透社）- 国家统计局周三公布了数据。分析人士此前预计增幅会更小。\n\n交易员说，市场正在等待。\n",
			"国家统计局周三公布了数据", "北京"},
		{"Xinhua lead on its own line", "新华社北京11月30日电（记者张三）国家统计局周三公布了数据。分析人士此前预计增幅会更小。\n\n交易员说，市场正在等待。\n",
			"国家统计局周三公布了数据", "北京"},
		{"two Chinese sentences are no headline", "国家统计局周三公布了数据。分析人士此前预计增幅会更小。\n\n交易员说，市场正在等待。\n",
			"国家统计局周三公布了数据", ""},
		{"two sentences are no headline", "Called the plumber again, he will come on Thursday morning. Need to be home by nine.\n\nAnna Karlsson\n",
			"Called the plumber again, he will come on Thursday morning", ""},
		{"an abbreviation in a headline", "U.S. stocks fall as banks lose ground.\n\nTraders sold banks on Monday.\n",
			"U.S. stocks fall as banks lose ground.", ""},
		{"a Chinese headline", "国家统计局：物价温和上涨\n\n国家统计局周三公布了数据。分析人士此前预计增幅会更小。\n",
			"国家统计局：物价温和上涨", ""},
		{"a Chinese headline with a stop inside", "快讯！央行宣布降息\n\n央行周三宣布降息。\n", "快讯！央行宣布降息", ""},
		{"a Chinese headline that asks first", "物价还会涨吗？专家这样说\n\n央行周三宣布降息。\n", "物价还会涨吗？专家这样说", ""},
		{"a Japanese name with a stop", "モーニング娘。新曲を発表\n\n新曲は来月発売される。\n", "モーニング娘。新曲を発表", ""},
		{"a Chinese headline that asks", "物价还会涨吗？\n\n国家统计局周三公布了数据。\n", "物价还会涨吗？", ""},
		{"TASS lead", "МОСКВА, 30 ноября. /ТАСС/. Правительство России одобрило проект бюджета на следующий год. Об этом сообщил министр финансов.",
			"Правительство России одобрило проект бюджета на следующий год", "Москва"},
		{"Kyodo lead on its own line", "【東京】政府は30日、来年度の予算案を閣議決定した。総額は過去最大となる見通しだ。\n\n共同通信社\n",
			"政府は30日、来年度の予算案を閣議決定した", "東京"},
		{"Arabic dateline", "طهران (رويترز) - قال مسؤولون إيرانيون يوم الأربعاء إن المحادثات ستستمر. وأضافوا أن الوفد سيعود.",
			"قال مسؤولون إيرانيون يوم الأربعاء إن المحادثات ستستمر", "طهران"},
		{"Russian dateline", "ТЕГЕРАН, 3 марта – Президент Ирана заявил, что переговоры продолжатся. Это стало известно.",
			"Президент Ирана заявил, что переговоры продолжатся", "Тегеран"},
		{"two places", "BERLIN/PARIS (Reuters) - Germany and France agreed on Monday to build tanks together. Talks went on.",
			"Germany and France agreed on Monday to build tanks together", "Berlin"},
		{"two places of two words", "NEW DELHI/ISLAMABAD (Reuters) - India and Pakistan agreed to talk. Talks went on.",
			"India and Pakistan agreed to talk", "New Delhi"},
		{"a story label", "Update - Stocks fell sharply on Monday. Traders sold banks.", "Stocks fell sharply on Monday", ""},
		{"a German story label", "Kommentar – Die Regierung irrt sich gewaltig. Das ist klar.", "Die Regierung irrt sich gewaltig", ""},
		{"a lead line that ends in a closing quote", "LONDON (Reuters) - The minister said the talks had “gone well”\n\nTraders sold banks on Monday.\n",
			"The minister said the talks had “gone well”", "London"},
		{"a place with a particle", "PORT-AU-PRINCE (Reuters) - Gangs blocked the roads. Talks went on.", "Gangs blocked the roads", "Port-au-Prince"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("a.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title || doc.Place != tt.place {
				t.Errorf("title, place = %q, %q; want %q, %q", doc.Title, doc.Place, tt.title, tt.place)
			}
		})
	}
}

// TestInspectFindsEveryDateline: Inspect, which gives an entry its
// categories, finds the places extraction finds, full-width dashes too.
func TestInspectFindsEveryDateline(t *testing.T) {
	for _, in := range []string{"東京（ロイター）－日銀は金曜日、政策金利を据え置いた。", "新华社北京11月30日电 国家统计局周三公布了数据。", "МОСКВА, 30 ноября. /ТАСС/. Правительство одобрило бюджет.",
		"【東京】政府は30日、予算案を決定した。", "Wien – Die Stadt feiert.", "دمشق - قال مسؤولون."} {
		facts, err := Inspect("a.txt", []byte(in))
		place, _ := splitDateline(in)
		if err != nil || place == "" || facts.Place != place {
			t.Errorf("Inspect(%q).Place = %q, %v; want %q", in, facts.Place, err, place)
		}
	}
}

// TestPlaceName: a place in capitals is written as the place writes itself.
func TestPlaceName(t *testing.T) {
	for in, want := range map[string]string{
		"NEW YORK": "New York", "ST. LOUIS": "St. Louis", "WINSTON-SALEM": "Winston-Salem",
		"PORT-AU-PRINCE": "Port-au-Prince", "AL-MUKALLA": "Al-Mukalla", "SANKT-PETERBURG": "Sankt-Peterburg",
		"RIO DE JANEIRO": "Rio de Janeiro", "DAR ES SALAAM": "Dar es Salaam", "FRANKFURT AM MAIN": "Frankfurt am Main",
		"N'DJAMENA": "N'Djamena", "MCALLEN": "McAllen", "LOS ANGELES": "Los Angeles", "EL PASO": "El Paso",
		"STRATFORD-UPON-AVON": "Stratford-upon-Avon", "L'AQUILA": "L'Aquila", "Wien": "Wien", "ТЕГЕРАН": "Тегеран",
	} {
		if got := placeName(in); got != want {
			t.Errorf("placeName(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestPlaceNameOfOddRuns: runs of separators come out as they went in.
func TestPlaceNameOfOddRuns(t *testing.T) {
	for in, want := range map[string]string{"A--B": "A--B", "O'": "O'", "-": "-", "AB’-CD": "Ab’-Cd"} {
		if got := placeName(in); got != want {
			t.Errorf("placeName(%q) = %q; want %q", in, got, want)
		}
	}
}

// FuzzExtractPlace: Extract, which finds the place as it reads the first
// paragraph, finds the place Inspect finds on its own, whatever the
// language's rules of sentences.
func FuzzExtractPlace(f *testing.F) {
	for _, s := range []string{"東京（ロイター）－日銀は金曜日、政策金利を据え置いた。", "Wien – Die Stadt feiert. Der Bürgermeister und die Stadträte sprachen.",
		"دمشق - قال مسؤولون.", "ТЕГЕРАН, 3 марта – Президент Ирана сказал.", "Title line\n\nLONDON (Reuters) - Stocks fell.",
		"NEW YORK,\nJan. 5 (AP) — wrapped\nlines", "Exclusive - LONDON (Reuters) - The company plans", "BERLIN/PARIS – Germany and France",
		"Apple – the iPhone maker – said", "Madrid (EFE) – El Gobierno español aprobó el martes la ley de la vivienda.",
		"PARIS (AFP) – Le gouvernement a annoncé mardi une nouvelle loi sur le logement.", "plain prose, no dateline at all.",
		"新华社北京11月30日电（记者张三）国家统计局周三公布了数据。分析人士此前预计增幅会更小。\n\n交易员说。",
		"Subject: A title\nDate: 2024-05-01\n\nTitle line\n\nLONDON (Reuters) - Stocks fell.", "Date: 2024-05-01\nKey: v\n\nTitle line\n\nLONDON (Reuters) - Stocks fell."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		facts, ierr := Inspect("a.txt", []byte(s))
		doc, eerr := Extract("a.txt", []byte(s))
		if (ierr == nil) != (eerr == nil) {
			t.Fatalf("Inspect(%q) err %v, Extract err %v: they fail together", s, ierr, eerr)
		}
		if ierr == nil && doc.Place != facts.Place {
			t.Fatalf("Extract(%q).Place = %q; Inspect finds %q", s, doc.Place, facts.Place)
		}
	})
}
