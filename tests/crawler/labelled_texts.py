"""A labelled set for relevance: new coverage of the Kutcher/Sora story, and other news.

The irrelevant texts include near-misses: Kutcher news without Sora, Sora news without Kutcher,
and other stories about AI in Hollywood.
"""

RELEVANT = (
    "Ashton Kutcher is standing by his comments about OpenAI's Sora. In a new podcast interview "
    "the actor said the backlash to his praise of the video generator missed his point: that "
    "filmmakers should learn the tools rather than pretend they do not exist.",
    "Crew members are still angry about Ashton Kutcher's remarks on Sora. Grips, gaffers and "
    "location scouts told us that hearing a wealthy investor celebrate AI footage that replaces "
    "their work felt like a betrayal from someone who owes his career to film sets.",
    "Why Ashton Kutcher's Sora comments hit a nerve: the actor-turned-investor described a future "
    "in which anyone can generate a whole movie from a prompt. Critics point out that his venture "
    "firm Sound Ventures holds a stake in OpenAI and stands to profit from that future.",
    "Kutcher doubles down on Sora. Responding to critics on X, Ashton Kutcher wrote that jobs will "
    "change and that denying it is turning a blind eye to facts, repeating that AI will not "
    "replace the film industry or the creative arts.",
    "At a Los Angeles salon hosted by the Berggruen Institute, Ashton Kutcher told former Google "
    "chief Eric Schmidt that he has a beta version of Sora and that it is pretty amazing, able to "
    "create realistic 10- to 15-second videos.",
    "The Writers Guild responded on Friday to Ashton Kutcher's enthusiasm for OpenAI's Sora, "
    "warning that studios will use generative video to cut jobs unless the protections won in the "
    "2023 strike are enforced.",
    "Opinion: Ashton Kutcher is wrong about Sora. Cheap establishing shots and AI stunt doubles "
    "may save a studio money, but the actor's vision of audiences generating their own movies "
    "misunderstands why people watch films together.",
    "Ashton Kutcher has walked back nothing. A week after his comments on OpenAI's Sora set off a "
    "storm online, the That '70s Show star said in a statement that artists who ignore AI risk "
    "being left behind.",
    "Tyler Perry and Ashton Kutcher now stand on opposite sides of the Sora debate: Perry paused "
    "an $800 million studio expansion after seeing OpenAI's video model, while Kutcher says the "
    "tool will make filmmakers more prolific.",
    "Social media users mocked Ashton Kutcher after he said Sora could let him generate and watch "
    "his own movie. One viral post imagined him stepping onto a film set after advocating for "
    "crew members to lose their jobs.",
    "Stunt performers answered Ashton Kutcher's claim that Sora could replace action scenes of "
    "him jumping off a building. The performers' association said no AI model understands "
    "physics well enough to stage a safe, believable stunt.",
    "Ashton Kutcher's comments about OpenAI's Sora were raised at a film school panel this week, "
    "where students asked whether the video generator means they should give up on careers "
    "behind the camera.",
)

IRRELEVANT = (
    # Kutcher news without Sora
    "Ashton Kutcher and Mila Kunis were photographed at a Los Angeles Lakers game on Sunday night, "
    "cheering courtside with their two children.",
    "Ashton Kutcher's venture firm Sound Ventures raised $243 million for a fund focused on "
    "artificial intelligence startups, including investments in OpenAI and Anthropic.",
    "Ashton Kutcher returns to television in a new Netflix comedy series alongside Reese "
    "Witherspoon, the streaming service announced on Tuesday.",
    "Ashton Kutcher resigned from the board of the anti-trafficking group Thorn after criticism of "
    "a character letter he wrote in the Danny Masterson case.",
    "Ashton Kutcher ran the New York City Marathon and raised more than one million dollars for "
    "charity, finishing in just under four hours.",
    "Demi Moore discussed her marriage to Ashton Kutcher in her memoir, describing the years they "
    "spent together in Los Angeles.",
    # Sora news without Kutcher
    "OpenAI released Sora to the public on Monday, letting paying ChatGPT subscribers generate "
    "20-second videos from text prompts.",
    "OpenAI's Sora video generator was leaked by a group of artists who said they were used as "
    "unpaid testers, and the company briefly suspended access.",
    "Tyler Perry put an $800 million expansion of his Atlanta studio on hold after seeing "
    "demonstrations of OpenAI's Sora, saying jobs in the industry are at risk.",
    "Researchers tested OpenAI's Sora and found that the video model still struggles with "
    "physics, producing glasses that shatter before they hit the floor.",
    "Toys R Us released a brand film made with OpenAI's Sora, drawing both praise and criticism "
    "from advertising executives.",
    "Google announced Veo, a rival to OpenAI's Sora, that can create high-definition video clips "
    "longer than a minute.",
    # Other AI-in-Hollywood stories
    "SAG-AFTRA reached an agreement with video game studios on protections against AI replicas of "
    "performers' voices and likenesses.",
    "Scarlett Johansson said she was shocked that OpenAI released a ChatGPT voice that sounded "
    "eerily similar to her own after she declined to take part.",
    "Lionsgate signed a deal with the AI company Runway to train a video model on its film "
    "library, hoping to cut production costs.",
    "The Writers Guild of America ended its 148-day strike after studios agreed to limits on the "
    "use of artificial intelligence in writing scripts.",
    "A documentary about chef Anthony Bourdain drew criticism for using an AI-generated version of "
    "his voice to read lines he never recorded.",
    "Netflix co-chief executive Ted Sarandos said AI will not replace great writers, but people who "
    "use it well might take some jobs.",
    # Unrelated news
    "The Federal Reserve held interest rates steady on Wednesday and signalled that it expects to "
    "cut them once inflation cools further.",
    "A magnitude 6.1 earthquake struck off the coast of Japan early on Thursday, but no tsunami "
    "warning was issued.",
    "Manchester City won the Premier League title for a fourth straight season after beating West "
    "Ham on the final day.",
    "The city council voted to build a new bus lane along Harbor Street, ending a two-year debate "
    "over parking.",
    "Apple unveiled a new line of laptops powered by its own chips, promising longer battery life "
    "for video editors.",
    "Kourtney Kardashian shared photos from her son's first birthday party at the family's home in "
    "Calabasas.",
)
