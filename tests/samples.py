"""Small documents written for the tests (not taken from the example corpus)."""

COMPILATION = """\
NEWS DIGEST

- **About the Digest**
- **River festival opens in Lisbon (March 3, 2011)**
- **Harbour museum reopens in Gdansk (March 9, 2011)**
- **Choir from Tallinn wins award (April 2, 2011)**

About the Digest

This digest collects reports about the river towns project. It is published by the
Friends of Rivers Association every spring.

**River festival opens in Lisbon
(March 3, 2011)**

Lisbon, March 2. The river festival opened on Wednesday with a parade of boats. Mayor
Ana Costa welcomed the guests and thanked the Friends of Rivers Association.

RiverNews

**Harbour museum reopens in Gdansk**

(March 9, 2011)

The harbour museum in Gdansk reopened after two years of works. Director Piotr Nowak
said the museum expects many visitors in the summer.

www.example.org

Choir from Tallinn wins award (April 2, 2011)

A youth choir from Tallinn won the first prize at the festival in Vienna on Saturday.
The conductor, Kadri Tamm, said the choir had practised for a year.
"""

SINGLE = """\
MARCH 4, 2014 12°C Oslo 9°C Bergen 7°C Tromsø 3°C

Bridge repairs finish ahead of schedule in Oslo

Date: 03.03.14, 10:15

Font size : - / +

Repairs to the old bridge in Oslo finished two weeks ahead of schedule, the city's
road department said on Monday. The bridge will open to traffic again on Friday.

Engineers replaced the steel cables and the deck, and the work cost less than the
planned budget. The mayor thanked the workers and the people who live nearby.

Read : 120

Please include a contact number if you are willing to speak to one of our journalists.
You can write maximum 512 symbols in your comment and it will be reviewed by the editors.

Weather

Sports

Other news from category City

Ferry timetable changes Tram line closed Market moves to square New school opens \
Park festival planned Concert tickets sold out Library extends hours Marathon route \
announced Museum night returns Harbour works delayed Station renamed Budget approved \
Council meets Cyclists protest Theatre season opens
"""
