"""The lesson's own texts in the window: the description panel, Help > About this
lesson, Help > Glossary, the concept tooltips and File > Lesson properties.  May import the
core only."""
