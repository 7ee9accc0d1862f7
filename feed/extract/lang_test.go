package extract

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLangOf(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"Chinese", "国家统计局周三公布的数据显示，十月份工业产出同比增长百分之五。", "zh"},
		{"Japanese", "東京（ロイター）－ 日銀は金曜日、政策金利を据え置いた。", "ja"},
		{"Korean", "한국은행은 목요일 기준금리를 동결했다.", "ko"},
		{"Arabic", "قال مسؤولون إيرانيون يوم الأربعاء إن المحادثات ستستمر.", "ar"},
		{"Persian", "رئیس جمهور ایران روز چهارشنبه گفت که گفتگوها ادامه خواهد یافت.", "fa"},
		{"Arabic naming a Persian place", "قال مسؤولون في مدينة گرگان يوم الأربعاء إن المحادثات ستستمر طويلا وأضافوا أن الوفد سيعود إلى العاصمة قريبا.", "ar"},
		{"Russian", "Президент России заявил в пятницу, что переговоры продолжатся.", "ru"},
		{"Ukrainian", "Президент України заявив у п'ятницю, що переговори триватимуть і далі.", "uk"},
		{"Bulgarian, whose ъ Russian hardly writes", "Министърът каза в понеделник, че преговорите ще продължат и че правителството е съгласно с предложението.", ""},
		{"Bulgarian's tldr page, with no ъ", "Тази команда е псевдоним на `docker container rm`. Виж документацията за оригиналната команда:", ""},
		{"Russian, short, with no sign of its own", "Показать список всех контейнеров", "ru"},
		{"Russian, long, without ы, э or ё: its infinitives", "- Запустить контейнер из образа.\n- Остановить контейнер по имени.\n- Удалить контейнер вместе с томами.\n- Показать журнал контейнера в реальном времени.\n- Скопировать файл из контейнера на диск.\n- Подключиться к оболочке контейнера.\n- Перезапустить сервис проекта.\n- Показать список образов на диске.", "ru"},
		{"Bulgarian, long, without ъ", "Тази команда показва всички контейнери, които са пуснати в момента на машината. С опцията за всички показва и спрените, като ги подрежда по дата. Резултатите може да се филтрират по име, етикет или статус, а формата на реда се задава с шаблон. Ако няма контейнери, командата не извежда нищо.", ""},
		{"Russian naming Đoković", "Новак Ђоковић выиграл открытый чемпионат Австралии в десятый раз и стал рекордсменом турнира. В финале он обыграл греческого теннисиста за три сета, а после матча сказал журналистам, что этот титул для него особенный. Болельщики на центральном корте приветствовали чемпиона стоя, а организаторы пообещали, что в следующем году призовой фонд турнира снова увеличится. Сам теннисист добавил, что пока не думает о завершении карьеры и собирается выступить на Олимпийских играх.", "ru"},
		{"Serbian, by ђ and ћ", "Влада Србије је данас усвојила предлог закона о буџету за следећу годину. Министар финансија је рекао да ће дефицит бити мањи него што је планирано.", "sr"},
		{"Serbian's tldr page, with ј alone: its је", "Ова наредба је псеудоним `argos-translate`. Погледајте документацију за оригиналну команду:", "sr"},
		{"Macedonian, by ќ", "Владата на Северна Македонија денеска ги усвои новите економски мерки. Министерот за финансии изјави дека ќе има поголема поддршка за малите и средните претпријатија.", "mk"},
		{"Macedonian with ј alone: its во and ги", "Оваа команда е алијас на `docker rm`. Погледнете ја документацијата за оригиналната команда во прирачникот и ги следете упатствата.", "mk"},
		{"Kazakh, whose і is no Ukrainian", "Қазақстан Үкіметі бүгін келесі жылға арналған бюджет жобасын бекітті. Қаржы министрі тапшылық жоспарланғаннан аз болатынын айтты.", "kk"},
		{"Belarusian, whose і is no Ukrainian", "Прэзідэнт Беларусі заявіў у пятніцу, што перамовы працягнуцца і надалей. Урад таксама паведаміў, што ўсе пагадненні будуць падпісаны ўвосень.", "be"},
		{"Kyrgyz, with some of Kazakh's letters", "Кыргызстандын өкмөтү бүгүн келерки жылдын бюджетин бекитти. Финансы министри тартыштык пландалгандан аз болорун айтты.", ""},
		{"Tatar, with some of Kazakh's letters", "Татарстан Хөкүмәте бүген киләсе елга бюджетны раслады. Финанслар министры дефицит планлаштырылганнан ким булачагын әйтте.", ""},
		{"Mongolian", "Монгол Улсын Засгийн газар өнөөдөр ирэх оны төсвийг баталлаа. Сангийн сайд төсвийн алдагдал төлөвлөснөөс бага байна гэж мэдэгдэв.", ""},
		{"Ukrainian and Russian at once", "Президент України заявив, що переговори триватимуть і далі. Президент России заявил в пятницу, что переговоры продолжатся, и это было ясно всем.", ""},
		{"English", "The minister said on Monday that the talks would go on, and that they were close.", "en"},
		{"German", "Der Minister sagte am Montag, die Gespräche würden fortgesetzt, und das sei auch gut so.", "de"},
		{"French", "Le ministre a déclaré lundi que les négociations se poursuivraient dans la journée.", "fr"},
		{"Spanish", "El ministro dijo el lunes que las negociaciones continuarán según lo previsto.", "es"},
		{"Italian", "Il ministro ha detto lunedì che i negoziati sono stati rinviati e che il governo non è d'accordo con la proposta.", "it"},
		{"Portuguese", "O ministro disse na segunda-feira que as negociações não foram concluídas e que o governo também está de acordo.", "pt"},
		{"Portuguese, whose esta and para are Spanish's too (ruby-lang.org's pt news)", "Matz decidiu remover esta página. Eu removi o link para a página de comparação de linguagens porque existem muitas pessoas que levam isto muito a sério. Era para ser divertido.", ""},
		{"Portuguese with por, para and esta", "O governo disse que o projeto está pronto para ser votado, e que esta semana os deputados vão discutir o texto por duas horas.", "pt"},
		{"Turkish", "Bakan pazartesi günü yaptığı açıklamada müzakerelerin süreceğini ve hükümetin öneriyi kabul ettiğini söyledi.", "tr"},
		{"Polish", "Minister powiedział w poniedziałek, że rozmowy będą kontynuowane, a rząd zgadza się z propozycją.", ""},
		{"Swedish, whose ä and ö are no German", "Ministern sade på måndag att förhandlingarna skulle fortsätta och att regeringen är överens med förslaget från kommissionen, så att det blir klart i år.", ""},
		{"Hungarian, whose ö and ü are no German", "A budapesti önkormányzat úgy döntött, hogy új villamosvonalat épít, és a munkák öt éven belül befejeződnek, a polgármester szerint jövőre kezdődnek.", ""},
		{"Finnish, whose ä and ö are no German (letsencrypt.org)", "Voit lukea viimeisimmän vuoden arvostelussa lataamalla meidän vuosikertomuksen.", ""},
		{"Finnish naming der files, whose ä and ö outnumber German's words", "Juurivarmenteet: ISRG Root X1, voimassa syyskuuhun 2035 asti: der, pem. Välivarmenteet: Let's Encrypt R10, päättyy maaliskuussa 2027: der, pem. Näitä käytetään päätevarmenteiden allekirjoittamiseen, ja niiden täytyy löytyä palvelimelta.", ""},
		{"Swedish without å (letsencrypt.org)", "Vem som helst som äger ett domännamn kan använda Let's Encrypt för att erhålla ett betrott certifikat utan kostnad.", ""},
		{"Hungarian without ő or ű (letsencrypt.org)", "Kérjük, ne írjon erre a címre, kivéve, ha üzenete a Let's Encrypt biztonsági problémájával kapcsolatos.", ""},
		{"Catalan, whose el, en and del are Spanish (letsencrypt.org)", "Let's Encrypt actuarà de plataforma per les bones pràctiques en seguretat TLS avançada, tant a la banda del CA com ajudant als operadors del lloc a protegir els seus servidors adequadament.", ""},
		{"Danish, whose du and et are French", "Hvis du har et problem med et certifikat, kan du skrive til os, og du kan se mere om det her.", ""},
		{"Indonesian, whose di is Italian", "Rilis ini tersedia di situs kami. Paket dapat diunduh di halaman unduhan, dan perbaikan keamanan dijelaskan di catatan rilis per versi.", ""},
		{"Serbian, whose da is Portuguese", "Rekao je da će doći u Beograd, da će ostati nedelju dana i da će se sastati sa ministrom.", ""},
		{"Uzbek, whose o is Portuguese (letsencrypt.org)", "Agar hosting provayderinggiz Let's Encryptni taqdim qilsa, ular sizning nominggizdan avtomatik ravishda bepul sertifikat so‘rovini amalga oshirishlari, o‘rnatishlari va yangilab turishlari mumkin. Ba'zi hosting provayderlari uchun bu sozlamalardan tanlanuvchi xususiyat xolos. Boshqa provayderlar o‘z mijozlari uchun avtomatik so‘rov va sertifikatni o‘rnatishlari mumkin.", ""},
		{"Romanian", "Ministrul a declarat luni că negocierile vor continua și că guvernul este de acord cu propunerea.", ""},
		{"English with a Chinese name", "The firm 华为 said on Monday that it was in talks with the ministry.", "en"},
		{"Chinese, short", "云原生词汇表", "zh"},
		{"Chinese with its links (the CNCF glossary's zh-cn/_index.md)", "任何想要贡献的人都可以提交 GitHub issue 或 创建 PR。欲了解更多信息，请查看 [如何贡献](/zh-cn/contribute/) 和遵循 [样式指南](/zh-cn/style-guide/)，并加入 CNCF Slack 中的 [#glossary](https://cloud-native.slack.com/archives/C02TX20MQBB) 频道。", "zh"},
		{"Korean among its links", "클라우드 네이티브 용어집(Cloud Native Glossary)은 [CNCF](https://www.cncf.io/) 비지니스 벨류 서브커미티(BVS, Business Value Subcommittee)가 주도하는 프로젝트입니다.", "ko"},
		{"Bengali, whose script is none it knows (its OS is no Portuguese os)", "আপনার OS নিজেই এই জটিল বিষয়গুলো পরিচালনা করে। OS কিভাবে কাজগুলো হ্যান্ডেল করে তা আপনার জানার দরকার নেই, OS পর্দা।", ""},
		{"Hindi", "कंप्यूटिंग के संदर्भ में, ऐब्स्ट्रैक्शन (abstraction) एक निरूपण है जो सेवाओं के उपभोक्ता से विवरण छिपाता है।", ""},
		{"Italian with un and una (the CNCF glossary)", "Un API Gateway è uno strumento che aggrega API applicative rendendole disponibili in un'unica posizione.", "it"},
		{"English naming Erdoğan", "President Erdoğan said on Monday that the talks would go on, and Erdoğan's party said that they were close to a deal with the opposition.", "en"},
		{"English naming Wałęsa", "Lech Wałęsa said on Monday that the talks would go on, and that the union was close to a deal with the government in Gdańsk. The strike that began at the shipyard in August has spread to the ports, and the ministers who went there say that they will stay until it ends.", "en"},
		{"checksums, whose hex spells da, ce and ed", "SHA256: f86feaa0a578e8da0924ced3ec68b25b50d69fc9a72cc8d919bc3c73f85f87d7\nSHA512: 6da4bdb0a43d56c7a8e4dddbcacf237e998ebb54706c8f835b53713dbdf924e40d5f89f63017515e1d66904ca01f28058cf296567104e06540c57f036dcdd0fe\nSHA1: e4f497e5b79768ae93dd73ac26da4ff5dd722bfe", ""},
		{"too short to tell", "OK", ""},
		{"digits only", "2024 123", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := langOf(tt.text); got != tt.want {
				t.Errorf("langOf(%q) = %q; want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestSentencesByLanguage: each language's sentence marks end sentences,
// and its abbreviations and ordinals do not.
func TestSentencesByLanguage(t *testing.T) {
	tests := []struct {
		lang, name, in string
		want           []string
	}{
		{"zh", "full stops need no space", "北京今天下雪了。交通受到影响！市民怎么办？",
			[]string{"北京今天下雪了。", "交通受到影响！", "市民怎么办？"}},
		{"zh", "a quotation's closing mark stays with it", "他说：“我们会赢。”然后他离开了。",
			[]string{"他说：“我们会赢。”", "然后他离开了。"}},
		{"zh", "decimals are not ends", "增长了3.5%。市场平稳。", []string{"增长了3.5%。", "市场平稳。"}},
		{"ja", "full stops", "東京は晴れです。明日は雨でしょう。", []string{"東京は晴れです。", "明日は雨でしょう。"}},
		{"ja", "a quotation in corner brackets stays whole", "彼は「行きます。すぐに。」と言った。次の日に来た。",
			[]string{"彼は「行きます。すぐに。」と言った。", "次の日に来た。"}},
		{"de", "ordinal date", "Am 14. Juli wurde in Paris gefeiert. Die Stadt war voll.",
			[]string{"Am 14. Juli wurde in Paris gefeiert.", "Die Stadt war voll."}},
		{"de", "Mio. before a noun", "Der Umsatz stieg auf 58 Mio. Euro. Das war ein Rekord.",
			[]string{"Der Umsatz stieg auf 58 Mio. Euro.", "Das war ein Rekord."}},
		{"de", "Mrd. and bzw.", "Die Firma meldete 2,5 Mrd. Dollar Verlust bzw. Schulden. Das überraschte.",
			[]string{"Die Firma meldete 2,5 Mrd. Dollar Verlust bzw. Schulden.", "Das überraschte."}},
		{"de", "geb. in brackets", "Der Autor (geb. 1950) lebt in Wien. Er schreibt.",
			[]string{"Der Autor (geb. 1950) lebt in Wien.", "Er schreibt."}},
		{"de", "z. B.", "Es gibt z. B. Äpfel und Birnen. Sie sind reif.",
			[]string{"Es gibt z. B. Äpfel und Birnen.", "Sie sind reif."}},
		{"de", "Nr. and Dr.", "Dr. Müller wohnt in Haus Nr. 5 am Markt. Er ist Arzt.",
			[]string{"Dr. Müller wohnt in Haus Nr. 5 am Markt.", "Er ist Arzt."}},
		{"de", "a number ends a sentence before a starter", "Sie kam auf Platz 3. Der Sieger war schneller.",
			[]string{"Sie kam auf Platz 3.", "Der Sieger war schneller."}},
		{"de", "a year ends a sentence", "Er wurde 1950 geboren. Seine Eltern waren Bauern.",
			[]string{"Er wurde 1950 geboren.", "Seine Eltern waren Bauern."}},
		{"fr", "M. before a name", "M. Macron a parlé mardi. Il a été clair.",
			[]string{"M. Macron a parlé mardi.", "Il a été clair."}},
		{"fr", "M. before a name that opens with an article", "M. Le Maire a parlé. Personne n'a répondu.",
			[]string{"M. Le Maire a parlé.", "Personne n'a répondu."}},
		{"fr", "Mme and p. ex.", "Mme Dupont aime les fruits, p. ex. Pommes et poires. Elle en mange.",
			[]string{"Mme Dupont aime les fruits, p. ex. Pommes et poires.", "Elle en mange."}},
		{"es", "Sr. and EE. UU.", "El Sr. García llegó a EE. UU. el lunes. Luego se fue.",
			[]string{"El Sr. García llegó a EE. UU. el lunes.", "Luego se fue."}},
		{"es", "EE. UU. before a proper noun", "Las tropas de EE. UU. Central llegaron. La Sra. López habló.",
			[]string{"Las tropas de EE. UU. Central llegaron.", "La Sra. López habló."}},
		{"ru", "г. before a city, and after a year", "Он родился в г. Москва в 1990 г. Затем он переехал.",
			[]string{"Он родился в г. Москва в 1990 г.", "Затем он переехал."}},
		{"ru", "г. after a year before a capital", "Университет открылся в 2024 г. Первые студенты приехали осенью.",
			[]string{"Университет открылся в 2024 г.", "Первые студенты приехали осенью."}},
		{"ru", "г. before a city is no end", "Завод построен в г. Москва. Он большой.",
			[]string{"Завод построен в г. Москва.", "Он большой."}},
		{"ru", "гг. after years", "Это было в 1990–1995 гг. Потом всё изменилось.",
			[]string{"Это было в 1990–1995 гг.", "Потом всё изменилось."}},
		{"ru", "им. and т. е.", "Улица им. Ленина закрыта, т. е. Движения нет. Это временно.",
			[]string{"Улица им. Ленина закрыта, т. е. Движения нет.", "Это временно."}},
		{"ru", "initials", "В. В. Путин выступил в Кремле. Речь была длинной.",
			[]string{"В. В. Путин выступил в Кремле.", "Речь была длинной."}},
		{"ar", "د. before a name", "قال د. محمد إن الوضع صعب. وأضاف أن الحل قريب.",
			[]string{"قال د. محمد إن الوضع صعب.", "وأضاف أن الحل قريب."}},
		{"ar", "Arabic question mark", "هل انتهى الأمر؟ لا أحد يعرف.", []string{"هل انتهى الأمر؟", "لا أحد يعرف."}},
		{"fa", "Arabic question mark in Persian", "آیا این درست است؟ هیچ کس نمی داند.", []string{"آیا این درست است؟", "هیچ کس نمی داند."}},
		{"ar", "م after a year ends a sentence", "ولد عام 1950 م. ثم انتقل إلى القاهرة.",
			[]string{"ولد عام 1950 م.", "ثم انتقل إلى القاهرة."}},
		{"fa", "the solar year's letters stay inside", "این در سال ۱۳۵۷ ه. ش. رخ داد. سپس جنگ شد.",
			[]string{"این در سال ۱۳۵۷ ه. ش. رخ داد.", "سپس جنگ شد."}},
		{"en", "English as before", "It was fired by the U.S. The strike killed him.",
			[]string{"It was fired by the U.S.", "The strike killed him."}},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.name, func(t *testing.T) {
			if got := sentencesIn(tt.in, rulesFor(tt.lang)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("sentencesIn(%q, %s)\n got %q\nwant %q", tt.in, tt.lang, got, tt.want)
			}
		})
	}
}

// TestExtractByLanguage: the title is the first whole sentence, without
// the dateline, in every language; the summary is whole sentences; the
// entry knows its language.
func TestExtractByLanguage(t *testing.T) {
	longZh := "国家统计局周三公布的数据显示，十月份全国规模以上工业增加值同比实际增长百分之五点三，比上个月加快零点二个百分点，" +
		"其中制造业增长百分之五点八，采矿业增长百分之三点一，电力热力燃气及水生产和供应业增长百分之四点五，高技术制造业增长更快。分析人士此前预计增幅会更小。"
	tests := []struct {
		name, in, lang, title, summary string
	}{
		{"Chinese: the first sentence, not a hard cut", "国家统计局周三公布的数据显示，十月份工业产出同比增长百分之五。分析人士此前预计增幅会更小。交易员说，市场正在等待央行的决定。",
			"zh", "国家统计局周三公布的数据显示，十月份工业产出同比增长百分之五",
			"国家统计局周三公布的数据显示，十月份工业产出同比增长百分之五。分析人士此前预计增幅会更小。交易员说，市场正在等待央行的决定。"},
		{"Chinese: a long first sentence is cut at a comma", longZh, "zh",
			"国家统计局周三公布的数据显示，十月份全国规模以上工业增加值同比实际增长百分之五点三，比上个月加快零点二个百分点，其中制造业增长百分之五点八，采矿业增长百分之三点一…", ""},
		{"Japanese", "東京は晴れです。明日は雨でしょう。", "ja", "東京は晴れです", "東京は晴れです。明日は雨でしょう。"},
		{"German ordinal", "Am 14. Juli wurde in Paris gefeiert. Die Stadt war voll und die Straßen waren gesperrt.", "de",
			"Am 14. Juli wurde in Paris gefeiert", ""},
		{"German: a long title is not cut after an article or bzw.",
			"Der österreichische Bundeskanzler hat am 14. Juli in Wien 58 Mio. Euro für die Hilfe bzw. den Wiederaufbau zugesagt. Die Opposition kritisierte das.",
			"de", "Der österreichische Bundeskanzler hat am 14. Juli in Wien 58 Mio. Euro für die Hilfe…", ""},
		{"German Mio.", "Der Umsatz stieg auf 58 Mio. Euro. Das war ein Rekord für die Firma und ihre Aktionäre.", "de",
			"Der Umsatz stieg auf 58 Mio. Euro", ""},
		{"Arabic د.", "قال د. محمد علي إن الوضع صعب. وأضاف أن الحل قريب جدا.", "ar", "قال د. محمد علي إن الوضع صعب", ""},
		{"Spanish EE. UU.", "El Sr. García llegó a EE. UU. el lunes por la tarde. Luego se fue a su casa.", "es",
			"El Sr. García llegó a EE. UU. el lunes por la tarde", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("a.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title {
				t.Errorf("title = %q; want %q", doc.Title, tt.title)
			}
			if tt.summary != "" && doc.Summary != tt.summary {
				t.Errorf("summary = %q; want %q", doc.Summary, tt.summary)
			}
			if n := utf8.RuneCountInString(doc.Title); n > TitleLimit {
				t.Errorf("title is %d characters; want at most %d", n, TitleLimit)
			}
			if doc.Lang != tt.lang {
				t.Errorf("lang = %q; want %q", doc.Lang, tt.lang)
			}
			if strings.Contains(doc.Content, "。 ") {
				t.Errorf("content puts spaces between Chinese sentences: %q", doc.Content)
			}
		})
	}
}

// TestShortGerman: a short German text is told by its umlauts, ß and
// articles; and in any language a number before "Mio." or an ordinal
// before a German month ends no sentence.
func TestShortGerman(t *testing.T) {
	tests := []struct{ name, in, title, lang string }{
		{"Mio. after a dateline", "Wien – Die Stadt investiert 58 Mio. Euro in neue Straßenbahnen.",
			"Die Stadt investiert 58 Mio. Euro in neue Straßenbahnen", "de"},
		{"ordinal date", "Der Vertrag läuft bis zum 1. Januar.", "Der Vertrag läuft bis zum 1. Januar", "de"},
		{"Mrd. before a capital", "Sie zahlten 3 Mrd. Dollar.", "Sie zahlten 3 Mrd. Dollar", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("a.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title || tt.lang != "" && doc.Lang != tt.lang {
				t.Errorf("title, lang = %q, %q; want %q, %q", doc.Title, doc.Lang, tt.title, tt.lang)
			}
		})
	}
	for _, in := range []string{"Mehr als 2 Mio. Menschen kamen. Es war voll.", "Es gilt ab 1. Januar. Dann endet es.", "Es kostet 5 Tsd. Euro. Das ist viel."} {
		if got := sentencesIn(in, english); len(got) != 2 {
			t.Errorf("sentencesIn(%q, en) = %q; want two sentences", in, got)
		}
	}
}

// TestMarkdownLangIsOfItsProse: a Markdown post's language is told by its
// prose and front matter, not by its code or its links' targets.
func TestMarkdownLangIsOfItsProse(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"code (hugoDocs' compare.Le)", "---\ntitle: compare.Le\n---\n\n```go-html-template\n{{ le 1 1 }} → true\n{{ le 1 2 }} → true\n{{ le 2 1 }} → false\n{{ le 1 1 1 }} → true\n{{ le 1 2 1 }} → true\n```\n\nUse the function to compare other data types as well, and to see that the result is what you want.\n", "en"},
		{"links' targets", "任何想要贡献的人都可以提交问题。请查看 [指南](https://example.org/de/der/die/und/das/ist/nicht/ein/eine/einen/einem/den/dem/des/mit/sich/auf) 和 [词汇表](https://example.org/die/und/das/ist/nicht/ein/eine/einen/einem/den/dem/des/mit/sich/auf/fur/von/zu)。", "zh"},
		{"links' targets defined by reference (ruby-lang.org's ko news)", "---\nlayout: news_post\ntitle: \"O'Reilly ONLamp Ruby 기사\"\nauthor: \"Unknown Author\"\n---\n\nMike Stok이 \"Ruby의 현재와 미래\"라는 제목으로 제3회 국제 Ruby 콘퍼런스에\n대한 뛰어난 [요약 기사][1]를 작성했으며, O'Reilly의 [ONLamp][2] 사이트\n첫 페이지에 게재되었습니다.\n\n콘퍼런스 이후 추가 정보는 Jim Weirich의 [사이트][3] 또는 Ryan Davis의\nRubyConf 발표 [아카이브][4]를 참조하세요.\n\n[1]: http://www.onlamp.com/pub/a/onlamp/2003/12/18/ruby_con.html\n[2]: http://www.onlamp.com\n[3]: http://onestepback.org/index.cgi/Tech/Conferences/RubyConf2003\n[4]: http://www.zenspider.com/Languages/Ruby/RubyConf2003.html\n", "ko"},
		{"prose after code", "```\nel la los las del que y en un una por con para es se su al lo como\n```\n\nO ministro disse na segunda-feira que as negociações não foram concluídas e que o governo também está de acordo.\n", "pt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("post.md", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Lang != tt.want {
				t.Errorf("Extract(post.md, %q).Lang = %q; want %q", tt.text, doc.Lang, tt.want)
			}
		})
	}
}
