import sys
import xml.sax
from xml.sax.handler import feature_external_ges


class TitleHandler(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.titles = []
        self._in_title = False
        self._buf = []

    def startElement(self, name, attrs):
        if name == "title":
            self._in_title = True
            self._buf = []

    def characters(self, content):
        if self._in_title:
            self._buf.append(content)

    def endElement(self, name):
        if name == "title":
            self._in_title = False
            self.titles.append("".join(self._buf).strip())


def feed_titles(path: str) -> list[str]:
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    handler = TitleHandler()
    parser.setContentHandler(handler)
    parser.parse(path)
    return handler.titles


if __name__ == "__main__":
    for title in feed_titles(sys.argv[1]):
        print(title)
