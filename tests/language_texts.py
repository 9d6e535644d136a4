"""Short news texts in several languages, written for the language tests (never copied from elsewhere)."""

FRENCH = """Inondations : au moins 1 200 morts dans l'est du pays

Selon les autorités locales, les pluies torrentielles ont fait au moins 1 200 morts et des milliers de disparus
dans la région. Le ministre de l'Intérieur a déclaré mardi que les secours étaient toujours sur place et que le
bilan pourrait encore s'alourdir. Plus de 370 000 personnes ont dû quitter leur maison, et les dégâts sont estimés
à 3,5 milliards d'euros. « Nous faisons tout ce que nous pouvons pour les familles », a dit le maire de la ville,
qui a demandé l'aide de l'État. Les écoles resteront fermées jusqu'à la fin de la semaine.

Le président Emmanuel Macron s'est rendu jeudi à Marseille avec Jean Dupont, le directeur de la Croix-Rouge
française, et a promis une aide de 2,5 millions d'euros aux habitants de la région de Provence.
"""

GERMAN = """Hochwasser: Mehr als 1.200 Tote im Osten des Landes

Nach Angaben der Behörden sind bei den schweren Regenfällen mindestens 1.200 Menschen ums Leben gekommen, und
Tausende werden noch vermisst. Der Innenminister sagte am Dienstag, dass die Rettungskräfte weiter im Einsatz
seien und die Zahl der Opfer noch steigen könne. Rund 1.200.000 Menschen haben keinen Strom, die Schäden werden
auf 3,5 Milliarden Euro geschätzt. Die Schulen bleiben bis zum Ende der Woche geschlossen, wie die Stadt mitteilte.
"""

SPANISH = """Inundaciones: al menos 1.200 muertos en el este del país

Según las autoridades locales, las lluvias torrenciales han causado al menos 1.200 muertos y miles de
desaparecidos en la región. El ministro del Interior dijo el martes que los equipos de rescate siguen en la zona
y que el balance podría aumentar. Más de 370 000 personas tuvieron que abandonar sus casas, y los daños se
estiman en 3,5 millones de euros. Las escuelas permanecerán cerradas hasta el final de la semana, según el
alcalde de la ciudad.
"""

ITALIAN = """Alluvione: almeno 1.200 morti nell'est del paese

Secondo le autorità locali, le piogge torrenziali hanno causato almeno 1.200 morti e migliaia di dispersi nella
regione. Il ministro dell'Interno ha detto martedì che i soccorritori sono ancora sul posto e che il bilancio
potrebbe salire. Più di 370.000 persone hanno dovuto lasciare le loro case, e i danni sono stimati in 3,5
miliardi di euro. Le scuole resteranno chiuse fino alla fine della settimana, ha detto il sindaco della città.
"""

DUTCH = """Overstromingen: zeker 1.200 doden in het oosten van het land

Volgens de lokale autoriteiten zijn bij de zware regenval zeker 1.200 mensen om het leven gekomen en worden er
nog duizenden vermist. De minister van Binnenlandse Zaken zei dinsdag dat de hulpdiensten nog ter plaatse zijn
en dat het dodental nog kan stijgen. Meer dan 370.000 mensen moesten hun huis verlaten, en de schade wordt
geschat op 3,5 miljard euro. De scholen blijven tot het einde van de week dicht, zei de burgemeester van de stad.
"""

PORTUGUESE = """Enchentes: pelo menos 1.200 mortos no leste do país

Segundo as autoridades locais, as chuvas torrenciais deixaram pelo menos 1.200 mortos e milhares de
desaparecidos na região. O ministro do Interior disse na terça-feira que as equipes de resgate continuam no local
e que o número de vítimas pode aumentar. Mais de 370 000 pessoas tiveram de deixar as suas casas, e os prejuízos
são estimados em 3,5 mil milhões de euros. As escolas vão ficar fechadas até ao fim da semana, disse o prefeito
da cidade.
"""

RUSSIAN = """Наводнение: не менее 1 200 погибших на востоке страны

По словам местных властей, в результате проливных дождей погибли не менее 1 200 человек, тысячи числятся
пропавшими без вести. Министр внутренних дел заявил во вторник, что спасатели всё ещё работают на месте и что
число жертв может вырасти. Более 370 000 человек были вынуждены покинуть свои дома, а ущерб оценивается в 3,5
миллиарда рублей. Школы будут закрыты до конца недели, сообщил мэр города, который попросил помощи у государства.
"""

ARABIC = """فيضانات: مقتل 1200 شخص على الأقل في شرق البلاد

قالت السلطات المحلية إن الأمطار الغزيرة أدت إلى مقتل 1200 شخص على الأقل وفقدان الآلاف في المنطقة. وقال وزير
الداخلية يوم الثلاثاء إن فرق الإنقاذ لا تزال في المكان وإن عدد الضحايا قد يرتفع. واضطر أكثر من 370 ألف شخص
إلى مغادرة منازلهم، وتقدر الأضرار بنحو 3.5 مليار دولار. وقال رئيس البلدية إن المدارس ستبقى مغلقة حتى نهاية
الأسبوع، وإنه طلب المساعدة من الدولة التي لم ترد بعد على هذا الطلب.
"""

ENGLISH = """Floods kill at least 1,200 in the east of the country

According to local authorities, torrential rain has killed at least 1,200 people and thousands are still
missing in the region. The interior minister said on Tuesday that rescue teams were still at work and that the
toll could rise. More than 370,000 people had to leave their homes, and the damage is estimated at 3.5 billion
euros. Schools will stay closed until the end of the week, the mayor of the city said, asking the state for help.
"""

# An English article quoting a French sentence: still English.
MIXED = (
    ENGLISH
    + """
The mayor, speaking in French, told reporters: « Nous faisons tout ce que nous pouvons pour les familles de la
ville. » He added that the army had sent trucks with water and food to the worst-hit villages on Wednesday, and
that the roads to the coast would open again by the end of the week if the weather held.
"""
)


def _unwrap(text: str) -> str:
    """One line per paragraph, as web copy comes (the texts above are wrapped only to be read here)."""
    return "\n\n".join(" ".join(paragraph.split("\n")).strip() for paragraph in text.split("\n\n")) + "\n"


FRENCH, GERMAN, SPANISH, ITALIAN, DUTCH, PORTUGUESE, RUSSIAN, ARABIC, ENGLISH, MIXED = map(
    _unwrap, (FRENCH, GERMAN, SPANISH, ITALIAN, DUTCH, PORTUGUESE, RUSSIAN, ARABIC, ENGLISH, MIXED)
)

FOREIGN = {
    "fr": FRENCH,
    "de": GERMAN,
    "es": SPANISH,
    "it": ITALIAN,
    "nl": DUTCH,
    "pt": PORTUGUESE,
    "ru": RUSSIAN,
    "ar": ARABIC,
}
