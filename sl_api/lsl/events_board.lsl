// The Dreamer's Cave: events board.
// Lists the next events as floating text, one line each ("12-05 20:00 Luna Sparrow Live"),
// marking the one on now. Uses format=text: no JSON parsing, one llParseStringKeepNulls per line.
//
// Contract: docs/second-life.md. GET /api/v1/sl/events?format=text answers
//   v1|<now>|<count>
//   <start>|<end>|<date>|<time>|<title>|<location>|<type>|<slurl>      (count lines)
// '|' and line breaks never occur inside a value, so every line splits into 8 fields.

string URL = "https://tdc.example.org/api/v1/sl/events?format=text&tz=SLT&limit=5&lang=en";
integer POLL_EVERY = 120;  // seconds
integer TITLE_CHARS = 28;  // floating text shows at most 254 bytes
vector COLOUR = <0.7, 0.9, 1.0>;

key request_id;

poll()
{
    request_id = llHTTPRequest(URL, [HTTP_METHOD, "GET", HTTP_BODY_MAXLENGTH, 2048], "");
}

string clipped(string text, integer chars)
{
    if (llStringLength(text) <= chars) return text;
    return llGetSubString(text, 0, chars - 2) + "…";
}

default
{
    state_entry()
    {
        llSetText("The Dreamer's Cave\nloading...", COLOUR, 1.0);
        poll();
        llSetTimerEvent(POLL_EVERY);
    }

    on_rez(integer start_param)
    {
        llResetScript();
    }

    timer()
    {
        poll();
    }

    http_response(key id, integer status, list metadata, string body)
    {
        if (id != request_id) return;
        if (status != 200)
        {
            if (status == 400) llOwnerSay("TDC board: " + llJsonGetValue(body, ["error"]));
            return;   // errors are JSON; keep the board as it was
        }
        list lines = llParseStringKeepNulls(body, ["\n"], []);
        list header = llParseStringKeepNulls(llList2String(lines, 0), ["|"], []);
        if (llList2String(header, 0) != "v1")
        {
            llOwnerSay("TDC board: unknown answer format; update this script.");
            return;
        }
        integer now = (integer)llList2String(header, 1);
        integer count = (integer)llList2String(header, 2);
        string text = "The Dreamer's Cave (SLT)";
        if (count == 0) text += "\nNo events scheduled";
        integer i;
        for (i = 1; i <= count; ++i)
        {
            list field = llParseStringKeepNulls(llList2String(lines, i), ["|"], []);
            integer starts = (integer)llList2String(field, 0);
            integer ends = (integer)llList2String(field, 1);
            string day = llGetSubString(llList2String(field, 2), 5, 9);   // "12-05"
            string line = day + " " + llList2String(field, 3) + " "
                + clipped(llList2String(field, 4), TITLE_CHARS);
            if (now >= starts && now < ends) line = "▶ " + line;
            text += "\n" + line;
        }
        llSetText(text, COLOUR, 1.0);
    }
}
