// The Dreamer's Cave: countdown panel.
// Shows the next event (title, place, "in 2h 05m" or "ON NOW") as floating text, and opens
// the event's SLURL when touched. Asks the server once a minute; counts down every second
// in between from the server's own clock, so a sim with a drifting clock still counts right.
//
// Contract: docs/second-life.md. GET /api/v1/sl/events/next answers JSON, always
// within 2048 bytes (the llHTTPRequest default), e.g.
//   {"title":"Luna Sparrow Live","start_time":"2026-12-05T12:00:00-08:00","location":"Main Stage",
//    "slurl":"https://maps.secondlife.com/...","start":1796500800,"end":1796506200,
//    "now":1796472000,"starts_in":28800}
// or {"event":null} when nothing is scheduled.

string URL = "https://tdc.example.org/api/v1/sl/events/next?lang=en";
integer POLL_EVERY = 60;   // seconds; many panels may share a region's request budget
vector COLOUR = <1.0, 0.85, 0.4>;

key request_id;
integer last_poll;
integer has_event = FALSE;
string title;
string place;
string slurl;
integer starts;           // unix seconds, server clock
integer ends;
integer clock_offset;     // server clock minus llGetUnixTime()

poll()
{
    last_poll = llGetUnixTime();
    request_id = llHTTPRequest(URL, [HTTP_METHOD, "GET", HTTP_BODY_MAXLENGTH, 2048], "");
}

string two_digits(integer n)
{
    if (n < 10) return "0" + (string)n;
    return (string)n;
}

string duration(integer seconds)
{
    integer days = seconds / 86400;
    integer hours = (seconds % 86400) / 3600;
    integer minutes = (seconds % 3600) / 60;
    if (days > 0) return (string)days + "d " + (string)hours + "h";
    if (hours > 0) return (string)hours + "h " + two_digits(minutes) + "m";
    return (string)minutes + "m " + two_digits(seconds % 60) + "s";
}

show()
{
    if (!has_event)
    {
        llSetText("The Dreamer's Cave\nNo events scheduled", COLOUR, 1.0);
        return;
    }
    integer now = llGetUnixTime() + clock_offset;
    string when = "ON NOW";
    if (now < starts) when = "in " + duration(starts - now);
    else if (now >= ends) when = "just ended";
    llSetText(title + "\n" + place + "\n" + when, COLOUR, 1.0);
}

default
{
    state_entry()
    {
        llSetText("The Dreamer's Cave\nloading...", COLOUR, 1.0);
        poll();
        llSetTimerEvent(1.0);
    }

    on_rez(integer start_param)
    {
        llResetScript();
    }

    timer()
    {
        // Poll early when the shown event has ended, so the next one appears at once.
        integer now = llGetUnixTime() + clock_offset;
        if (llGetUnixTime() - last_poll >= POLL_EVERY || (has_event && now >= ends && llGetUnixTime() - last_poll >= 5))
            poll();
        show();
    }

    http_response(key id, integer status, list metadata, string body)
    {
        if (id != request_id) return;
        if (status != 200)
        {
            // 400 {"error": "..."} means the URL's parameters are wrong: say so to the owner.
            if (status == 400) llOwnerSay("TDC panel: " + llJsonGetValue(body, ["error"]));
            return;   // keep showing what we had; the next poll tries again
        }
        if (llJsonValueType(body, ["event"]) == JSON_NULL)
        {
            has_event = FALSE;
        }
        else
        {
            has_event = TRUE;
            clock_offset = (integer)llJsonGetValue(body, ["now"]) - llGetUnixTime();
            title = llJsonGetValue(body, ["title"]);
            place = llJsonGetValue(body, ["location"]);
            slurl = llJsonGetValue(body, ["slurl"]);
            starts = (integer)llJsonGetValue(body, ["start"]);
            ends = (integer)llJsonGetValue(body, ["end"]);
        }
        show();
    }

    touch_start(integer count)
    {
        if (has_event && slurl != "")
            llLoadURL(llDetectedKey(0), "Teleport to " + title, slurl);
    }
}
