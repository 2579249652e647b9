from pathlib import Path

from tasks.enrich.quotes import Quote, extract_quotes

SEED = Path(__file__).parents[3] / "data" / "raw" / "000_b3c2f05c6aa84539.txt"  # the reference article as shipped
SEED_HEADINGS = (
    "“610 Office” Staff Members Quit the CCP",
    "Deputy Secretary of Political-Legal Committee Renounce the CCP",
    "Party Secretaries Withdraw from the CCP",
    "Officials of Various Ranking Resign from the CCP",
)


def seed_body() -> str:
    """The seed article after its title and dateline paragraphs."""
    _title, dateline, *paragraphs = SEED.read_text(encoding="utf-8").split("\n\n")
    assert dateline == "September 17, 2007 Updated: September 17, 2007"
    return "\n\n".join(paragraphs)


def test_seed_article_quotes_and_speakers_in_order():
    expected = [
        ("Ma Wen", "I feel extremely ashamed"),
        ("Wang Changxing", "Especially after July, 1999"),
        ("Wang Changxing", "I realize now"),
        (None, "As a deputy secretary"),
        (None, "When Falun Gong practitioners revealed"),
        ("Zheng Xianggui", "I was a secretary"),
        ("Zheng Xianggui", "A friend told me"),
        (None, "I now completely see through"),
        (None, "I respect Falun Gong"),
        ("Zhao Defa", "I was deceived"),
        ("Zhao Defa", "My nephew was sent"),
        ("Ma Shitu", "I am the director"),
        ("Ma Shitu", "I oppose the crackdown"),
        ("Wang San", "Politics are corrupt"),
        ("Wang San", "The society is unstable"),
        ("Zhao Minghui", "I think my colleagues"),
        ("Zhao Minghui", "To ensure a bright future"),
        (None, "Those officials who call"),
        (None, "Everyday, there are voices"),
    ]
    quotes = extract_quotes(seed_body(), SEED_HEADINGS)
    assert [(q.speaker, q.text[: len(start)]) for q, (_, start) in zip(quotes, expected, strict=False)] == expected
    assert len(quotes) == len(expected)


def test_seed_article_nested_quote_keeps_outer_quote_whole():
    ma_wen = extract_quotes(seed_body(), SEED_HEADINGS)[0]
    assert ma_wen.text.startswith("I feel extremely ashamed that I am a member of the “610 Office” in mainland China.")
    assert ma_wen.text.endswith("all its affiliated organizations")


def test_seed_article_unclosed_quotes_do_not_merge_with_attributed_next_paragraph():
    quotes = extract_quotes(seed_body(), SEED_HEADINGS)
    assert quotes[12].text.endswith("I declare my withdrawal from the CCP.")
    assert quotes[13] == Quote("Politics are corrupt", "Wang San")
    assert quotes[14].text.endswith("I vow to quit the CCP and its organizations.")


def test_curly_quote_trailing_comma_dropped_and_final_period_kept():
    text = "“The bridge will reopen in May,” said Ana Ruiz. “Repairs are ahead of schedule.”"
    assert extract_quotes(text) == [
        Quote("The bridge will reopen in May", "Ana Ruiz"),
        Quote("Repairs are ahead of schedule.", "Ana Ruiz"),
    ]


def test_straight_quotes_toggle():
    text = '"We will rebuild the bridge," said council member Ana Ruiz. "It will take two years."'
    assert extract_quotes(text) == [
        Quote("We will rebuild the bridge", "Ana Ruiz"),
        Quote("It will take two years.", "Ana Ruiz"),
    ]


def test_according_to_attribution():
    text = "The bridge will reopen in May. “Repairs are ahead of schedule and under budget”, according to Ana Ruiz."
    assert extract_quotes(text) == [Quote("Repairs are ahead of schedule and under budget", "Ana Ruiz")]


def test_descriptor_words_before_name_are_skipped():
    text = (
        "“The council has approved the budget,” said council member Ana Ruiz.\n\n"
        "“The Party will not change its course,” wrote CCP official Wang San."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", "Wang San"]


def test_name_followed_by_place_or_relative_clause():
    text = (
        "“I was a secretary for the Party committee,” wrote Zheng Xianggui from Guangdong Province.\n\n"
        "“I was deceived for many years,” wrote Zhao Defa, who has been the Party Secretary in his village."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Zheng Xianggui", "Zhao Defa"]


def test_name_before_verb_after_quote():
    text = "“I have decided to leave the Party for good,” Ma Shitu wrote."
    assert extract_quotes(text) == [Quote("I have decided to leave the Party for good", "Ma Shitu")]


def test_speaker_before_quote_with_colon():
    text = "At the meeting, Ana Ruiz said: “The bridge will reopen in May.”"
    assert extract_quotes(text) == [Quote("The bridge will reopen in May.", "Ana Ruiz")]


def test_speaker_before_quote_at_the_end_of_a_long_paragraph():
    # Words after the verb and a colon standing alone: the attribution spans eight words.
    opening = "The bridge closed in March after inspectors found cracks in two of its piers. " * 6
    text = opening + "The next day Mayor Ana Ruiz told reporters at noon : “It will reopen in May.”"
    assert extract_quotes(text) == [Quote("It will reopen in May.", "Ana Ruiz")]


def test_speaker_before_quote_with_comma_resolves_surname():
    text = "Zhao Minghui is a bank president. Zhao wrote, “I have decided to withdraw from the CCP.”"
    assert extract_quotes(text) == [Quote("I have decided to withdraw from the CCP.", "Zhao Minghui")]


def test_description_is_not_a_name():
    text = (
        "“I have observed that the CCP punishes good people,” wrote a veteran Party member "
        "from China's Shandong Province.\n\n"
        "“Those officials enjoy completely different lives,” one of the officers wrote."
    )
    assert extract_quotes(text) == [
        Quote("I have observed that the CCP punishes good people", None),
        Quote("Those officials enjoy completely different lives", None),
    ]


def test_pronoun_gives_no_speaker():
    text = "Ana Ruiz spoke last. “We will rebuild the bridge,” she said."
    assert extract_quotes(text) == [Quote("We will rebuild the bridge", None)]


def test_surname_resolves_to_most_recent_full_name():
    text = (
        "A staff member named Ma Wen wrote to us. “I feel ashamed of what I did,” wrote Ma.\n\n"
        "Zhao Defa is a village Party Secretary. “I was deceived for many years,” wrote Zhao.\n\n"
        "Zhao Minghui is a bank president. “I think my colleagues were right,” wrote Zhao."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Ma Wen", "Zhao Defa", "Zhao Minghui"]


def test_surname_resolves_when_it_ends_the_full_name():
    text = "Ana Ruiz chairs the council. “The bridge will reopen in May,” Ruiz said."
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz"]


def test_surname_without_full_name_is_kept():
    text = "“I vow to quit the CCP and its organizations,” wrote Niu."
    assert [q.speaker for q in extract_quotes(text)] == ["Niu"]


def test_unattributed_quote_after_attributed_quote_has_same_speaker():
    text = (
        "Wang Changxing also wrote. “The CCP started to suppress Falun Gong,” wrote Wang. "
        "“I realize now that these were criminal acts.”"
    )
    assert extract_quotes(text) == [
        Quote("The CCP started to suppress Falun Gong", "Wang Changxing"),
        Quote("I realize now that these were criminal acts.", "Wang Changxing"),
    ]


def test_quote_after_other_text_does_not_inherit_speaker():
    text = (
        "“The bridge will reopen in May,” said Ana Ruiz. The council voted on Tuesday. "
        "“This is a disgrace for the whole city.”"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", None]


def test_scare_quotes_are_skipped():
    text = (
        "A staff member at the “610 Office” wrote his reasons. "
        "Wang, a “610 Office” staff member, also quit. “I am withdrawing from the Party,” wrote Wang."
    )
    assert extract_quotes(text) == [Quote("I am withdrawing from the Party", "Wang")]


def test_short_quote_with_speech_verb_is_kept():
    assert extract_quotes("“No comment,” said Ana Ruiz.") == [Quote("No comment", "Ana Ruiz")]


def test_nested_double_curly_quote_keeps_outer_quote_whole():
    text = "“I am a member of the “610 Office” in China,” wrote Ma."
    assert extract_quotes(text) == [Quote("I am a member of the “610 Office” in China", "Ma")]


def test_single_quotes_nested_inside_double_quote_are_part_of_it():
    text = "“I follow the principles of ‘Truth, Compassion and Forbearance,’ and 'Truthfulness' too,” wrote Zhao Defa."
    assert extract_quotes(text) == [
        Quote("I follow the principles of ‘Truth, Compassion and Forbearance,’ and 'Truthfulness' too", "Zhao Defa")
    ]


def test_apostrophes_are_not_quote_marks():
    text = "I've read Falun Dafa's books. \"I've decided to withdraw from the CCP,\" wrote Li Hua."
    assert extract_quotes(text) == [Quote("I've decided to withdraw from the CCP", "Li Hua")]


def test_cjk_corner_brackets_with_nested_white_corner_brackets():
    text = "王先生寫道：「我曾經是『六一〇辦公室』的成員，現在我要退出中共。」他又說：“我很後悔。”"
    assert extract_quotes(text) == [
        Quote("我曾經是『六一〇辦公室』的成員，現在我要退出中共。", None),
        Quote("我很後悔。", None),
    ]


def test_cjk_scare_quote_is_skipped():
    text = "他在「六一〇」工作多年。"
    assert extract_quotes(text) == []


def test_unclosed_quote_at_paragraph_end_keeps_speaker():
    text = "“I am the director of a Bureau office,” wrote Ma Shitu. “I declare my withdrawal from the CCP."
    assert extract_quotes(text) == [
        Quote("I am the director of a Bureau office", "Ma Shitu"),
        Quote("I declare my withdrawal from the CCP.", "Ma Shitu"),
    ]


def test_multi_paragraph_quote_is_merged():
    text = (
        "“We will rebuild the bridge before winter,” said Ana Ruiz. “The money is already there.\n\n"
        "“Work starts on Monday.\n\n"
        "“It will take two years.”\n\n"
        "“That is too long,” said Tom Lee."
    )
    assert extract_quotes(text) == [
        Quote("We will rebuild the bridge before winter", "Ana Ruiz"),
        Quote("The money is already there. Work starts on Monday. It will take two years.", "Ana Ruiz"),
        Quote("That is too long", "Tom Lee"),
    ]


def test_closed_quote_is_not_continued_by_next_paragraph():
    text = "“The money is already there,” said Ana Ruiz.\n\n“We disagree with the whole plan.”"
    assert extract_quotes(text) == [
        Quote("The money is already there", "Ana Ruiz"),
        Quote("We disagree with the whole plan.", None),
    ]


def test_headings_are_never_speech():
    heading = "“We Will Rebuild the Bridge Before Winter,” Says Mayor"
    text = f"{heading}\n\nThe council met on Tuesday."
    assert len(extract_quotes(text)) == 1
    assert extract_quotes(text, headings=[heading]) == []


def test_title_abbreviation_does_not_end_the_attribution():
    text = "“The clinic is full every day,” said Dr. Lee. “We need more nurses.”"
    assert extract_quotes(text) == [Quote("The clinic is full every day", "Lee"), Quote("We need more nurses.", "Lee")]


def test_titled_surname_resolves_to_the_full_name():
    text = "Jane Lee runs the clinic. “The clinic is full every day,” said Dr. Lee."
    assert [q.speaker for q in extract_quotes(text)] == ["Jane Lee"]


def test_title_words_are_not_part_of_the_name():
    text = (
        "“We will rebuild the bridge,” said Mayor Ana Ruiz.\n\n"
        "“The money is there,” Prime Minister Tom Lee said.\n\n"
        "Sen. Maria Gomez said: “The state will help.”\n\n"
        "“The bridge is safe,” said Lt. Col. Sam Ortiz."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", "Tom Lee", "Maria Gomez", "Sam Ortiz"]


def test_a_title_alone_names_nobody():
    assert extract_quotes("“We will rebuild the bridge,” said the Mayor.") == [
        Quote("We will rebuild the bridge", None)
    ]


def test_surname_resolves_past_a_possessive():
    text = "Ana Ruiz's plan passed on Tuesday. “We will rebuild the bridge,” Ruiz said."
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz"]


def test_someone_elses_possessive_is_not_the_speaker():
    text = "“We will rebuild the bridge,” said Ruiz's spokesman.\n\n“The plan is sound,” Ruiz's aide said."
    assert [q.speaker for q in extract_quotes(text)] == [None, None]


def test_name_in_apposition_to_a_description_is_the_speaker():
    text = "“We will rebuild the bridge,” said the mayor's spokesman, Tom Lee."
    assert extract_quotes(text) == [Quote("We will rebuild the bridge", "Tom Lee")]


def test_possessive_after_the_name_does_not_hide_it():
    text = "“We will rebuild the bridge,” said Ana Ruiz from the city's planning office."
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz"]


def test_scare_quote_inside_the_writers_own_sentence_is_not_speech_however_long():
    text = (
        "The mayor called it “politics in this town, plain and simple,” and left. "
        "Residents want “a pier that lasts another hundred years without repairs” more than anything."
    )
    assert extract_quotes(text) == []


def test_unattributed_quote_standing_as_its_own_sentence_is_speech():
    text = "The council met. “We will rebuild the pier this year and open it in spring.” Work starts soon."
    assert extract_quotes(text) == [Quote("We will rebuild the pier this year and open it in spring.", None)]


def test_quote_after_a_speech_verb_in_its_sentence_is_speech_without_a_colon():
    text = "Ruiz told reporters “we will rebuild the pier this year” before the vote."
    assert extract_quotes(text) == [Quote("we will rebuild the pier this year", None)]
