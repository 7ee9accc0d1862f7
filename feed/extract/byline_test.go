package extract

import (
	"strings"
	"testing"
)

// TestCreditAuthor: wire copy's author is the one its trailing credit
// names, and the credit stays out of the title and the summary.
func TestCreditAuthor(t *testing.T) {
	const lead = "LONDON (Reuters) - Stocks fell on Monday as banks lost ground. Traders said the mood was grim. "
	tests := []struct {
		name, credit, author string
	}{
		{"agency licence", "PA/PA All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License.", "Mehr News Agency"},
		{"reporter before editor", "Reporting by Jane Doe; Editing by John Roe", "Jane Doe"},
		{"two reporters stay one byline", "Reporting by Jane Doe and Ali Reza; Editing by John Roe", "Jane Doe and Ali Reza"},
		{"a list of reporters", "Reporting by Jane Doe, Ali Reza and Sam Roe; Editing by John Roe", "Jane Doe, Ali Reza and Sam Roe"},
		{"where they filed from is left out", "Reporting by Andrea Shalal in Washington and David Lawder in New York; Editing by Chris Reese", "Andrea Shalal and David Lawder"},
		{"reporting wins over writing", "Writing by Sam Roe; Reporting by Jane Doe; Editing by John Roe", "Jane Doe"},
		{"writing without reporting", "Writing by Sam Roe; Editing by John Roe", "Sam Roe"},
		{"compiled", "Compiled by Ann Lee; Editing by John Roe", "Ann Lee"},
		{"writing before compiled", "Compiled by Ann Lee. Writing by Sam Roe", "Sam Roe"},
		{"reporting before the agency", "Reporting by Jane Doe. All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License.", "Jane Doe"},
		{"additional reporting is no author", "Additional reporting by Ali Reza; Editing by John Roe", ""},
		{"additional reporting after the reporter", "Reporting by Jane Doe; additional reporting by Ali Reza", "Jane Doe"},
		{"comma before the editor", "Reporting by Jane Doe, editing by John Roe", "Jane Doe"},
		{"e-mail address left out", "Reporting by Jane Doe (jane@example.org); Editing by John Roe", "Jane Doe"},
		{"particles", "Reporting by Abu Mahdi al-Muhandis and Ursula von der Leyen; Editing by John Roe", "Abu Mahdi al-Muhandis and Ursula von der Leyen"},
		{"copyright holder", "© 2024 Reuters. All rights reserved.", "Reuters"},
		{"copyright holder with a period", "Copyright (c) 2023-2024 The Associated Press, Inc. All rights reserved.", "The Associated Press"},
		{"copyright with no holder", "Copyright 2024. All rights reserved.", ""},
		{"all rights reserved alone", "© 2024 All rights reserved.", ""},
		{"editors' initials alone", "MH/PA", ""},
		{"editors' initials after by", "Compiled by MH/PA", ""},
		{"editors only", "Editing by John Roe", ""},
		{"a credit in lower case", "Reporting by our staff; Editing by the desk", ""},
		{"a sentence for a name", "All Content by the authors of this site is licensed under CC BY 4.0.", ""},
		{"republished names no author", "This article was originally published on Example News.", ""},
		{"credit in brackets", "(Reporting by Jane Doe; Editing by John Roe)", "Jane Doe"},
		{"reporter alone in brackets", "(Reporting by Jane Doe)", "Jane Doe"},
		{"additional reporting in brackets is no author", "(Additional reporting by Ali Reza; Editing by John Roe)", ""},
		{"an agency's sign-off", "Reuters", "Reuters"},
		{"a sign-off in capitals", "REUTER", "Reuter"},
		{"a sign-off in brackets", "(AP)", "AP"},
		{"initials before the agency", "jf/dpa", "dpa"},
		{"two agencies", "AFP/Reuters", "AFP, Reuters"},
		{"an agency's name alone", "Mehr News Agency", "Mehr News Agency"},
		{"an agency's name with a hyphen", "Agence France-Presse", "Agence France-Presse"},
		{"an agency's name with its period", "Mehr News Agency.", "Mehr News Agency"},
		{"an agency in capitals with a hyphen", "ITAR-TASS", "ITAR-TASS"},
		{"an agency of two words in capitals", "РИА НОВОСТИ", "РИА НОВОСТИ"},
		{"a long agency in capitals", "XINHUA", "Xinhua"},
		{"initials that are an agency's too", "aa/dpa", "dpa"},
		{"a photo credit", "Photo: Associated Press", ""},
		{"a source", "Source: Mehr News Agency", ""},
		{"a news section", "Breaking News", ""},
		{"a newspaper", "Die Presse", ""},
		{"a press officer", "Jane Doe, Press Officer", ""},
		{"a site", "Via Hacker News", ""},
		{"the Associated Press by name", "The Associated Press", "The Associated Press"},
		{"the reporter before the sign-off", "Reporting by Jane Doe; Editing by John Roe\n\nReuters", "Jane Doe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("wire.txt", []byte(lead+tt.credit+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Author != tt.author {
				t.Errorf("author of %q = %q; want %q", tt.credit, doc.Author, tt.author)
			}
			if doc.Title != "Stocks fell on Monday as banks lost ground" || strings.Contains(doc.Summary, "by") || strings.Contains(doc.Summary, "©") {
				t.Errorf("title, summary = %q, %q; want the lead's, without the credit", doc.Title, doc.Summary)
			}
		})
	}
}

// TestFrontMatterAuthorIsPlain: Markdown in a front matter author is shown
// as a reader sees it rendered: a link by its text, emphasis gone.
func TestFrontMatterAuthorIsPlain(t *testing.T) {
	for _, tt := range []struct{ name, front, author string }{
		{"a link", "author: '[Sergey Kanzhelev](https://github.com/SergeyKanzhelev)'", "Sergey Kanzhelev"},
		{"a link and a company", "author: '[Aaron Abbott](https://github.com/aabmass) (Google)'", "Aaron Abbott (Google)"},
		{"two, folded over lines", "author: >-\n  [Laurent Quérel](https://github.com/lquerel) (F5), [Joshua\n  MacDonald](https://github.com/jmacd) (ServiceNow)", "Laurent Quérel (F5), Joshua MacDonald (ServiceNow)"},
		{"a list of links", "authors:\n  - '[Ann Lee](https://a.example)'\n  - Bob Roe", "Ann Lee, Bob Roe"},
		{"a link with a title", "author: '[Ann Lee](https://a.example \"her site\")'", "Ann Lee"},
		{"strong", "author: '**Ann Lee**'", "Ann Lee"},
		{"emphasis", "author: '*Ann Lee* (Example)'", "Ann Lee (Example)"},
		{"underscores", "author: _Ann Lee_", "Ann Lee"},
		{"an underscore in a handle stays", "author: ann_lee and bob_roe", "ann_lee and bob_roe"},
		{"brackets without a link stay", "author: Ann Lee [guest]", "Ann Lee [guest]"},
		{"plain", "author: Ann Lee", "Ann Lee"},
		{"a comma left at the end", "author: >-\n  [Adriana Villela](https://github.com/avillela) (ServiceNow),", "Adriana Villela (ServiceNow)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("post.md", []byte("---\ntitle: T\n"+tt.front+"\n---\nBody.\n"))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Author != tt.author {
				t.Errorf("author of %q = %q; want %q", tt.front, doc.Author, tt.author)
			}
		})
	}
}
