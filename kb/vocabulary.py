"""The words of the knowledge base's template, in one table.

The Markdown importer and exporter, the page templates (as Jinja globals) and the tests all
take section headings, labels, meta rows and table headers from here: renaming a heading is
one edit in this file, and import, export and the page follow it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.status import REPLACED_BY, STATUSES, status_of


@dataclass(frozen=True)
class Section:
    """One H2 section of the template: its key in the YAML data, heading and page anchor."""

    key: str
    heading: str
    anchor: str


# In the order of the template (the exporter writes them so, the page shows them so).
SECTIONS: dict[str, Section] = {
    section.key: section
    for section in (
        Section("meta", "Метаданные документа", "metadata"),
        Section("audience", "Целевая аудитория", "audience"),
        Section("summary", "Краткое описание", "summary"),
        Section("prerequisites", "Предварительные требования", "prerequisites"),
        Section("content", "Основной контент", "content"),
        Section("steps", "Пошаговая инструкция", "steps"),
        Section("special_cases", "Особые случаи", "special-cases"),
        Section("examples", "Примеры и кейсы", "examples"),
        Section("templates", "Скрипты и шаблоны", "templates"),
        Section("faq", "Часто задаваемые вопросы (FAQ)", "faq"),
        Section("errors", "Типичные ошибки и их решение", "errors"),
        Section("checklist", "Контрольный чек-лист", "checklist"),
        Section("success", "Критерии успеха", "success"),
        Section("related", "Связанные материалы", "related"),
        Section("history", "История изменений", "history"),
        Section("feedback", "Обратная связь", "feedback"),
    )
}

UNMAPPED = Section("unmapped", "Прочее (не разобрано при импорте)", "unmapped")
"""The page's section for text the importer kept aside (not a section of the template)."""

# «**Label:** value» lines inside sections, by the data key they fill.
LABELS = {
    "who": "Для кого",
    "level": "Уровень подготовки",
    "when": "Когда использовать",
    "knowledge": "Необходимые знания",
    "access": "Необходимый доступ",
    "do": "Что делать",
    "where": "Где",
    "result": "Результат",
    "actions": "Действия",
    "situation": "Ситуация",
    "conclusions": "Выводы",
    "answer": "Ответ",
}
BODY_TITLE = "Текст шаблона"
"""The page's label of a template body that has no ``body_title`` of its own."""

# «### Шаг 1: title»: the word before the number of numbered subsections.
NUMBERED = {"steps": "Шаг", "examples": "Пример", "faq": "Вопрос"}

# References to a step or a special case in prose (kb.step_refs): ``[шагу](#step:escalate)``
# reads «шагу 5». A reference written with one of these forms (any letter case) gets the
# step's number after it — «к [шагу](#step:escalate)» → «к шагу 5»; a case reference gets the
# case's title — «[особый случай](#case:critical)» → «особый случай «Критическая ошибка»». Any
# other text is kept and the number follows in brackets: «Эскалация (шаг 5)». The forms are also
# what validation recognises as a step number written by hand («к шагу 4»).
STEP_FORMS = ("шаг", "шага", "шагу", "шагом", "шаге")
CASE_FORMS = (
    "особый случай",
    "особого случая",
    "особому случаю",
    "особым случаем",
    "особом случае",
)
STEP_WORD = "шаг"
"""The word before a step's number where the author's text is not a form of it: «(шаг 5)»."""

# Rows of the metadata table, in the exporter's order: meta key → label
# (``keywords`` lives at the top level of the data, not in ``meta``).
META_LABELS = {
    "version": "Версия",
    "created": "Дата создания",
    "updated": "Дата последнего обновления",
    "author": "Автор",
    "owner": "Ответственный за актуальность",
    "status": "Статус",
    "type": "Тип документа",
    "department": "Отдел",
    "tags": "Теги",
    "review": "Пересмотр",
    "keywords": "Ключевые слова",
}
META_ROWS = {label: key for key, label in META_LABELS.items()}
META_HEADER = {"label": "Параметр", "value": "Значение"}

# Table columns: data key → header.
ERROR_COLUMNS = {"error": "Ошибка", "cause": "Причина", "solution": "Решение"}
HISTORY_COLUMNS = {"version": "Версия", "date": "Дата", "author": "Автор", "changes": "Изменения"}

# How a review rule reads, in the Markdown template and in the page's metadata table (the page
# writes the date in Russian): «каждые 6 мес.», «до 2025-06-01», «(по умолчанию)».
REVIEW = {"every": "каждые %d мес.", "by": "до %s", "default": "по умолчанию"}

# Words of the regulation page that are not sections of the Markdown template.
PAGE = {
    "brief": "Кратко",
    "overview": "Шаги",
    "owner": "Ответственный",
    "updated": "Обновлено",
    "version": "Версия",
    "overdue": "срок пересмотра истёк",
    "applies_at": "Применяется на шаге",
    "step_cases": "Особые случаи",
    "step_checks": "Чек-лист",
    "feedback_link": "Сообщить об ошибке или предложить улучшение",
    "printed": "Напечатано",
    "reference_nav": "Разделы справочника",
    "planned": "планируется",
}
BRIEF_ANCHOR = "brief"
"""The «Кратко» section's anchor: summary, audience and the overview of the steps."""


# The template fields (by id) that hold the ticket's number and client: the work page
# fills them from the ticket, so they are typed once (the seed's generators share these ids).
TICKET_FIELDS = {"number": "ticket-id", "client": "client-name"}

# The work page's words (kb.site.work): the page template reads them as ``work_words`` and its
# scripts from the model (work.json ``words``), so that a word is changed here only.
WORK = {
    "page_title": "Работа по обращению",
    "start": "Работать по обращению",
    "reading": "Читать регламент",
    "rail": "Шаги",
    "step": "Шаг",
    "ticket": "Обращение",
    "number": "Номер обращения",
    "client": "Клиент",
    "open_ticket": "Открыть",
    "new_ticket": "Новое обращение",
    "no_ticket": "Введите номер обращения, чтобы начать работу по регламенту.",
    "no_script": "Работа по обращению идёт в браузере: включите JavaScript. Порядок работы — на странице регламента.",
    "step_new": "не начат",
    "step_doing": "в работе",
    "step_done": "выполнен",
    "step_partly": "частично, осталось",
    "step_na": "не применимо",
    "step_case": "особый случай",
    "actions": "Действия",
    "criteria": "Критерии",
    "criteria_none": "Ни один не подходит",
    "close_not_needed": "Закрыть: эскалация не потребовалась",
    "fields": "Данные обращения",
    "templates": "Тексты",
    "cases": "Особые случаи",
    "case_apply": "Применить особый случай",
    "case_remove": "Снять особый случай",
    "note": "Заметка к шагу",
    "button_done": "Шаг выполнен",
    "step_next": "Далее",
    "button_na": "Не применимо",
    "step_na_reason": "Почему шаг не применим",
    "step_na_confirm": "Подтвердить",
    "folded": "Заполнено",
    "folded_steps": "шаги",
    "result_text": "Текст результата",
    "step_back": "Вернуть шаг в работу",
    "final": "Завершение",
    "checklist": "Контрольный чек-лист",
    "list_hint": "По одному пункту в строке.",
    "checklist_left": "Не выполнено",
    "log": "Журнал статусов",
    "log_status": "Статус",
    "log_note": "Комментарий",
    "log_next": "следующая проверка",
    "log_add": "Добавить в журнал",
    "tickets": "Мои обращения",
    "tickets_open": "Открытые",
    "tickets_closed": "Закрытые",
    "tickets_none": "Открытых обращений нет.",
    "tickets_no_script": "Список обращений этого браузера показывается только с JavaScript.",
    "tickets_keep": "Данные хранятся только в этом браузере; закрытые обращения удаляются через {days}.",
    "tickets_unreadable": "Не прочитаны повреждённые записи:",
    "tickets_unavailable": "Хранилище браузера недоступно: сохранённые обращения не прочитаны.",
    "ticket_overdue": "проверка {date} просрочена",
    "ticket_delete": "Удалить",
    "ticket_delete_label": "Удалить обращение {number}",
    "ticket_delete_confirm": "Удалить обращение {number} из этого браузера? Это нельзя отменить.",
    "not_exported": "запись не сохранена",
    "record_copy": "Копировать запись",
    "record_md": "Скачать запись (.md)",
    "record_text": "Скачать текстом (.txt)",
    "close": "Закрыть обращение",
    "close_again": "Обращение уже закрыто с другим итогом. Изменить итог?",
    "outcome": "Итог",
    "unsaved": "Не сохранено в браузере (хранилище недоступно или переполнено), остаётся только на этой странице:",
    "conflict": "Это поле изменили и в другой вкладке — сохранены оба варианта:",
    "copied_record": "Запись скопирована в буфер обмена.",
    "copy_failed": "Не удалось скопировать автоматически: скачайте запись файлом.",
    "reopen": "Открыть снова",
    "closed": "Обращение закрыто",
    "read_only": "Закрытое обращение только для чтения.",
    # The ticket as a file and on paper, the storage's alarms, «Очистить» in a template
    # (overrides/kb/components/work/io.mjs, main.mjs); «{name}» is filled in.
    "export_json": "Скачать JSON",
    "import_json": "Загрузить обращение (JSON)",
    "print": "Печать",
    "import_bad": "Файл «{file}» не загружен: {error}. Ничего не изменено.",
    "import_exists": "Обращение {id} уже есть в этом браузере. Заменить его загруженным или сохранить оба? "
    "Копия будет в списке рядом, номер обращения в текстах не изменится.",
    "import_replace": "Заменить",
    "import_keep": "Сохранить оба",
    "import_cancel": "Отмена",
    "imported": "Загружено обращение {id}.",
    "storage_blocked": "Хранилище браузера недоступно: обращение есть только в этой вкладке и пропадёт, "
    "когда она закроется. Работа продолжается; перед закрытием скачайте JSON или запись.",
    "storage_corrupt": "Обращение {id} в этом браузере повреждено и не открыто ({error}). "
    "Другие обращения открываются как обычно.",
    "unsaved_ops": {
        "create": "новое обращение",
        "import": "загруженное обращение",
        "field": "данные обращения",
        "client": "клиент",
        "tick": "отметки действий",
        "step-done": "выполненные шаги",
        "not-applicable": "неприменимые шаги",
        "applicable": "шаги, возвращённые в работу",
        "note": "заметки к шагам",
        "case": "особые случаи",
        "criterion": "критерии",
        "decision": "решение об эскалации",
        "checklist": "чек-лист",
        "log": "журнал статусов",
        "copied": "отправленные тексты",
        "draft": "набранный комментарий",
        "close": "закрытие",
        "reopen": "повторное открытие",
        "exported": "отметка о сохранённой записи",
    },
    "cleared": "Очищено: {fields}.",
    "clear_kept": "Оставлено, потому что нужно в другом шаблоне или шаге: {fields}.",
    "undo": "Вернуть",
    "outcomes": {
        "solved": "решено",
        "unsolved": "не решено",
        "not-needed": "эскалация не потребовалась",
    },
    # The ticket's record (overrides/kb/components/work/record.mjs); «{name}» is filled in.
    "record_title": "Обращение {number} — {title} (версия {version})",
    "record_started": "Начато",
    "record_closed": "Закрыто",
    "record_steps": "Шаги",
    "record_criteria_none": "ни один не подходит",
    "record_note": "Заметка",
    "record_step_ref": "шаг {number}",
    "record_case_applied": "Применён",
    "case_by_field": "по значению поля «{field}: {value}»",
    "case_by_status": "по статусу «{status}»",
    "case_by_hand": "вручную",
    "record_copied": "Отправленные тексты",
    "check_done": "отмечен",
    "check_open": "не отмечен",
    "months": [
        "янв.",
        "февр.",
        "мар.",
        "апр.",
        "мая",
        "июн.",
        "июл.",
        "авг.",
        "сент.",
        "окт.",
        "нояб.",
        "дек.",
    ],
}

# «Что изменилось» (kb.changes): the page's list by version, the home page's recent changes,
# the notice «since you last read» (components/since) and the build's lines about versions.
CHANGES = {
    "heading": "Что изменилось",
    "anchor": "changes",
    "version": "Версия {version} от {date} (было {previous})",
    "change": {"added": "Добавлено", "changed": "Изменено", "removed": "Удалено"},
    "kind": {
        "term": "критерий",
        "step": "шаг",
        "action": "действие",
        "case": "особый случай",
        "example": "пример",
        "template": "шаблон",
        "faq": "вопрос FAQ",
        "error": "типичная ошибка",
        "checklist": "пункт чек-листа",
    },
    # The parts of an element that changed, by its key in the YAML.
    "parts": {
        "title": "название",
        "text": "текст",
        "term": "термин",
        "items": "подпункты",
        "where": "где",
        "result": "результат",
        "criteria": "критерии",
        "monitoring": "журнал статусов",
        "step": "шаг",
        "when": "когда",
        "situation": "ситуация",
        "actions": "действия",
        "conclusions": "выводы",
        "body_title": "заголовок текста",
        "body": "текст шаблона",
        "fields": "поля",
        "downloads": "скачивание",
        "filename": "имя файла",
        "question": "вопрос",
        "answer": "ответ",
        "error": "ошибка",
        "cause": "причина",
        "solution": "решение",
    },
    "other": "другое",
    "count": "изменений: {count}",
    "none": "Шаги, шаблоны, FAQ и чек-лист не менялись.",
    "recent": "Изменения за {days} дней",
    "recent_days": 30,
    "since": "С вашего прошлого визита (версия {version}) изменилось:",
    "hide": "Скрыть",
    "kept": "{source}: поле meta.version: содержание изменилось, а версия осталась «{version}» "
    "— укажите новую версию и добавьте строку в history",
    "no_git": "История версий не прочитана (папка регламентов не в git): разделов «Что "
    "изменилось» нет",
}

# «Мои обращения» on the home page (components/work/tickets.mjs, mounted by home.mjs): that page
# has no model, so its macro hands the list these words of WORK as data.
TICKETS_WORDS = {
    key: WORK[key]
    for key in (
        "tickets_open",
        "tickets_closed",
        "tickets_none",
        "tickets_unreadable",
        "tickets_unavailable",
        "ticket_overdue",
        "ticket_delete",
        "ticket_delete_label",
        "ticket_delete_confirm",
        "not_exported",
        "outcomes",
        "months",
    )
}

JINJA_GLOBALS = {
    "sections": SECTIONS,
    "unmapped_section": UNMAPPED,
    "labels": LABELS,
    "body_title": BODY_TITLE,
    "numbered": NUMBERED,
    "meta_labels": META_LABELS,
    "meta_header": META_HEADER,
    "error_columns": ERROR_COLUMNS,
    "history_columns": HISTORY_COLUMNS,
    "statuses": STATUSES,
    "status_of": status_of,
    "replaced_by_words": REPLACED_BY,
    "page_words": PAGE,
    "review_words": REVIEW,
    "brief_anchor": BRIEF_ANCHOR,
    "ticket_fields": TICKET_FIELDS,
    "work_words": WORK,
    "tickets_words": TICKETS_WORDS,
    "changes_words": CHANGES,
}
"""What the page templates see: ``{{ sections.steps.heading }}``, ``{{ labels.where }}``."""
