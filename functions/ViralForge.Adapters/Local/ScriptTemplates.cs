using System.Globalization;
using ViralForge.Core.Trends;

namespace ViralForge.Adapters.Local;

/// <summary>The offline script writer's words in one language: beats, hooks, calls to action.</summary>
/// <remarks>
/// Placeholders: {topic} (the topic as it reads mid-sentence), {Topic} (at a sentence start), {niche} (the trending
/// niche; a beat that names it is left out when there are no trends), {tag} (a trending tag), {what} (what a reviewer
/// asked to mention). Japanese is written with a space between phrases: captions break lines and time words at
/// spaces, and espeak-ng reads it the same with or without them. Its kanji are only those kakasi reads right one phrase
/// at a time (it reads 日 alone as にち and drops 思っ), the rest is in kana.
/// </remarks>
internal sealed record ScriptTemplates(
    string Language,
    IReadOnlyList<(string[] Sentences, string Card)> CoreBeats,
    IReadOnlyList<(string Sentence, string Card)> TagBeats,
    Func<string, string, int, string> Hook,
    string FunnyHook,
    Func<bool, bool, int, string> CallToAction,
    string MentionBeat,
    bool LowerCaseTopic)
{
    /// <summary>The templates for a BCP 47 tag's primary language; null when the writer has none (it then writes English).</summary>
    public static ScriptTemplates? For(string? language)
    {
        var primary = (language ?? "").Trim().Split('-', '_')[0].ToLowerInvariant();
        return primary switch
        {
            "" or "en" => English,
            "es" => Spanish,
            "ja" => Japanese,
            "pt" => Portuguese,
            "fr" => French,
            "de" => German,
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="template"/> may be used: a beat about the trending niche needs a niche.</summary>
    public static bool Usable(string template, bool hasNiche) => hasNiche || !template.Contains("{niche}", StringComparison.Ordinal);

    public static ScriptTemplates English { get; } = new(
        "en",
        [
            (["Here is the short version of {topic}.", "Start smaller than you think, then build from there."], "Start small"),
            (["The biggest mistake with {topic} is doing everything at once.", "Pick one thing and do it well."], "One thing at a time"),
            (["Give it five focused minutes a day for one week.", "Consistency beats intensity every single time."], "Five minutes a day"),
            (["Write down what you tried and what changed.", "Progress you can see is progress you keep."], "Track your progress"),
            (["Copy what already works.", "The {niche} videos that trend right now repeat the same simple basics."], "Copy what works"),
            (["When it gets hard, make the step smaller instead of quitting.", "A tiny step still counts."], "Make it smaller"),
            (["Forget the perfect plan.", "A good plan you actually follow beats it every time."], "Good beats perfect"),
            (["Before you start, ask one question.", "What is the smallest next step with {topic}?"], "Find the next step"),
            (["Set everything up the night before.", "Future you will have nothing left to decide."], "Prepare the night before"),
            (["Tell a friend what you are working on.", "Saying it out loud makes you far more likely to follow through."], "Tell a friend"),
            (["Check back after thirty days.", "Most people quit right before the results show up."], "Give it thirty days"),
            (["Watch one expert do it, then try it yourself the same day.", "Learning sticks when you use it right away."], "Learn, then do"),
            (["Keep it boring on purpose.", "Boring routines are the ones that survive a busy week."], "Boring works"),
            (["Measure one number that matters for {topic}.", "Ignore the rest until that number moves."], "Measure one number"),
            (["Expect a bad day.", "Plan what you will do when it comes, and it will not stop you."], "Plan for bad days"),
            (["Learn the one rule most beginners skip.", "The basics of {topic} matter more than any advanced trick."], "Basics first"),
            (["Cut one thing that wastes your time.", "Less clutter leaves more room for what works."], "Cut the clutter"),
            (["Use a simple checklist.", "It keeps you honest on the days you feel like skipping."], "Use a checklist"),
            (["Celebrate small wins.", "They keep you going while the big results are still on their way."], "Celebrate small wins"),
            (["Do not compare your first week to someone else's fifth year.", "Run your own race."], "Your own pace"),
            (["Rest is part of the plan.", "A break taken on purpose beats burning out by accident."], "Rest on purpose"),
            (["Attach it to something you already do every day.", "New habits stick when they ride on old ones."], "Stack your habits"),
            (["Ask for feedback early.", "One honest opinion can save you weeks of guessing."], "Get feedback early"),
            // The closing thought stays last.
            (["Remember why you started.", "{Topic} is a tool for the life you want, not a test you can fail."], "Remember your why"),
        ],
        [
            ("People who watch this also watch {tag} videos.", "Also popular: {tag}"),
            ("Related and trending right now: {tag}.", "Trending: {tag}"),
            ("It works just as well for {tag}.", "Works for {tag}"),
        ],
        (kind, topic, count) =>
        {
            var number = count <= 1 ? "One" : count.ToString(CultureInfo.InvariantCulture);
            var things = count <= 1 ? "thing" : "things";
            return kind switch
            {
                HookKinds.Question => $"Did you know this about {topic}?",
                HookKinds.Number => $"{number} {things} about {topic} nobody tells you.",
                HookKinds.HowTo => $"How to get {topic} right, fast.",
                HookKinds.Pov => $"POV: you finally figured out {topic}.",
                HookKinds.Imperative => $"Stop scrolling if you care about {topic}.",
                HookKinds.PersonalStory => $"I tried {topic} so you don't have to.",
                HookKinds.SecondPerson => $"You are doing {topic} wrong.",
                HookKinds.Secret => $"The secret to {topic} nobody talks about.",
                _ => $"Here is what to know about {topic}.",
            };
        },
        "Warning: {topic} is about to become your new favourite obsession.",
        (youTube, tikTok, room) => (youTube, tikTok, room) switch
        {
            // YouTube viewers subscribe, TikTok viewers follow; a row for both asks for both.
            (true, true, 0) => "Follow and subscribe.",
            (true, true, 1) => "Follow or subscribe for more.",
            (true, true, _) => "Save this for later, and follow or subscribe for more.",
            (true, false, 0) => "Subscribe.",
            (true, false, 1) => "Subscribe for more.",
            (true, false, _) => "Like this if it helped, and subscribe for more.",
            (false, _, 0) => "Follow.",
            (false, _, 1) => "Follow for more.",
            (false, _, _) => "Save this for later, and follow for more.",
        },
        "And do not forget {what}.",
        LowerCaseTopic: true);

    public static ScriptTemplates Spanish { get; } = new(
        "es",
        [
            (["Esta es la versión corta de {topic}.", "Empieza más pequeño de lo que crees y luego ve creciendo."], "Empieza poco a poco"),
            (["El error más grande con {topic} es querer hacerlo todo a la vez.", "Elige una sola cosa y hazla bien."], "Una cosa a la vez"),
            (["Dedícale cinco minutos al día durante una semana.", "La constancia gana a la intensidad siempre."], "Cinco minutos al día"),
            (["Apunta lo que probaste y lo que cambió.", "El progreso que ves es el progreso que mantienes."], "Apunta tu progreso"),
            (["Copia lo que ya funciona.", "Los videos de {niche} que son tendencia repiten lo mismo: lo básico, bien hecho."], "Copia lo que funciona"),
            (["Cuando se ponga difícil, haz el paso más pequeño en lugar de rendirte.", "Un paso diminuto también cuenta."], "Pasos más pequeños"),
            (["Olvida el plan perfecto.", "Un buen plan que de verdad sigues es mucho mejor."], "Bueno antes que perfecto"),
            (["Antes de empezar, hazte una pregunta.", "¿Cuál es el siguiente paso más pequeño con {topic}?"], "El siguiente paso"),
            (["Deja todo preparado la noche anterior.", "Así por la mañana no tendrás nada que decidir."], "Prepáralo la noche antes"),
            (["Cuéntale a un amigo en qué estás trabajando.", "Decirlo en voz alta te ayuda a cumplirlo."], "Cuéntaselo a alguien"),
            (["Revisa cómo vas después de treinta días.", "Casi todos abandonan justo antes de ver resultados."], "Dale treinta días"),
            (["Mira a un experto hacerlo y pruébalo tú el mismo día.", "Lo que usas enseguida no se olvida."], "Aprende y practica"),
            (["Hazlo aburrido a propósito.", "Las rutinas aburridas son las que sobreviven a una semana complicada."], "Lo aburrido funciona"),
            (["Mide un solo número que importe para {topic}.", "Ignora lo demás hasta que ese número se mueva."], "Mide un número"),
            (["Cuenta con que tendrás un mal día.", "Decide ahora qué harás cuando llegue y no te detendrá."], "Planea los días malos"),
            (["Lo básico de {topic} importa más que cualquier truco avanzado.", "Domina eso primero."], "Primero lo básico"),
            (["Usa una lista sencilla.", "Te mantiene en marcha los días en que no tienes ganas."], "Usa una lista"),
            (["Celebra las pequeñas victorias.", "Te dan energía mientras llegan los grandes resultados."], "Celebra lo pequeño"),
            (["No compares tu primera semana con el quinto año de otra persona.", "Ve a tu propio ritmo."], "Tu propio ritmo"),
            (["Descansar también es parte del plan.", "Una pausa a tiempo es mejor que agotarte sin querer."], "Descansa a propósito"),
            (["Únelo a algo que ya haces todos los días.", "Los hábitos nuevos se quedan cuando van sobre los viejos."], "Encadena hábitos"),
            (["Recuerda por qué empezaste.", "{Topic} es una herramienta para la vida que quieres, no un examen."], "Recuerda tu porqué"),
        ],
        [
            ("Quien ve esto también ve videos de {tag}.", "También popular: {tag}"),
            ("Relacionado y en tendencia ahora mismo: {tag}.", "Tendencia: {tag}"),
            ("Funciona igual de bien para {tag}.", "Sirve para {tag}"),
        ],
        (kind, topic, count) =>
        {
            var number = count <= 1 ? "Una cosa" : $"{count.ToString(CultureInfo.InvariantCulture)} cosas";
            return kind switch
            {
                HookKinds.Question => $"¿Sabías esto sobre {topic}?",
                HookKinds.Number => $"{number} sobre {topic} que nadie te cuenta.",
                HookKinds.HowTo => $"Cómo hacer bien {topic}, rápido.",
                HookKinds.Pov => $"POV: por fin entendiste {topic}.",
                HookKinds.Imperative => $"Deja de deslizar si te importa {topic}.",
                HookKinds.PersonalStory => $"Probé {topic} para que tú no tengas que hacerlo.",
                HookKinds.SecondPerson => $"Estás haciendo mal {topic}.",
                HookKinds.Secret => $"El secreto de {topic} del que nadie habla.",
                _ => $"Esto es lo que hay que saber sobre {topic}.",
            };
        },
        "Aviso: {topic} está a punto de convertirse en tu nueva obsesión favorita.",
        (youTube, tikTok, room) => (youTube, tikTok, room) switch
        {
            (true, true, 0) => "Sígueme y suscríbete.",
            (true, true, 1) => "Sígueme o suscríbete para más.",
            (true, true, _) => "Guárdalo para después, y sígueme o suscríbete para más.",
            (true, false, 0) => "Suscríbete.",
            (true, false, 1) => "Suscríbete para más.",
            (true, false, _) => "Dale me gusta si te ayudó, y suscríbete para más.",
            (false, _, 0) => "Sígueme.",
            (false, _, 1) => "Sígueme para más.",
            (false, _, _) => "Guárdalo para después, y sígueme para más.",
        },
        "Y no olvides {what}.",
        LowerCaseTopic: true);

    // Kanji numerals up to nine: kakasi reads 三つ as みっつ, which is how a person counts things.
    private static readonly string[] JapaneseCounts = ["一つ", "二つ", "三つ", "四つ", "五つ", "六つ", "七つ", "八つ", "九つ"];

    public static ScriptTemplates Japanese { get; } = new(
        "ja",
        [
            (["{topic}を 短く まとめます。", "想像より 小さく 始めて、 少しずつ 増やしましょう。"], "小さく 始める"),
            (["{topic}で いちばん 多い 失敗は、 全部を 一度に やる ことです。", "一つに しぼって、 ていねいに やりましょう。"], "一つずつ"),
            (["いちにち ごふんだけ、 一週間 続けて みましょう。", "がんばり過ぎるより、 続ける ほうが 強いです。"], "一日 五分"),
            (["やった ことと 変わった ことを メモしましょう。", "見える 進歩は 続きます。"], "記録する"),
            (["うまく いって いる ものを まねしましょう。", "いま 人気の {niche}の 動画は、 同じ 基本を くり返して います。"], "まねする"),
            (["むずかしく なったら、 やめずに 一歩を 小さく しましょう。", "小さな 一歩も 一歩です。"], "一歩を 小さく"),
            (["完ぺきな 計画は 忘れましょう。", "実際に 続けられる 計画の ほうが ずっと いいです。"], "完ぺきより 継続"),
            (["始める 前に、 一つだけ 考えて ください。", "{topic}の 次の 小さな 一歩は 何でしょう？"], "次の 一歩"),
            (["前の 晩に 準備を すませましょう。", "朝の 自分が 迷わずに すみます。"], "前の 晩に 準備"),
            (["友だちに 取り組んで いる ことを 話しましょう。", "口に 出すと、 続けやすく なります。"], "友だちに 話す"),
            (["三十日 たったら、 ふりかえって みましょう。", "多くの ひとは 結果が 出る 直前に やめて しまいます。"], "三十日 続ける"),
            (["うまい ひとの やりかたを 見たら、 その ひの うちに 試しましょう。", "すぐ 使うと 身に つきます。"], "見て すぐ 試す"),
            (["わざと 地味に やりましょう。", "地味な 習慣こそ いそがしい 週でも 続きます。"], "地味で いい"),
            (["{topic}で 大事な 数字を 一つだけ 決めましょう。", "その 数字が 動くまで、 ほかは 気に しないで。"], "数字を 一つ"),
            (["うまく いかない ひも あります。", "その ひに どうするか 決めて おけば、 とまりません。"], "悪い 日の 準備"),
            (["{topic}の 基本は、 どんな 裏わざよりも 大切です。", "まず 基本を 身に つけましょう。"], "基本が 先"),
            (["かんたんな チェックリストを 使いましょう。", "やる 気が ない ひにも 助けて くれます。"], "チェックリスト"),
            (["小さな 成功を 喜びましょう。", "大きな 結果が 出るまでの 力に なります。"], "小さな 成功"),
            (["休むのも 計画の うちです。", "わざと 休む ほうが、 つかれ切るより ずっと いいです。"], "わざと 休む"),
            (["毎日 する ことに くっつけましょう。", "新しい 習慣は 古い 習慣に 乗ると 続きます。"], "習慣を つなげる"),
            (["始めた 理由を 思い出して ください。", "{topic}は、 試験では なく、 なりたい 自分への 道具です。"], "始めた 理由"),
        ],
        [
            ("これを 見る ひとは {tag}の 動画も 見て います。", "人気： {tag}"),
            ("いま 話題の 関連 テーマ： {tag}。", "話題： {tag}"),
            ("{tag}にも 同じように 使えます。", "{tag}にも"),
        ],
        (kind, topic, count) =>
        {
            var number = count is >= 1 and <= 9 ? JapaneseCounts[count - 1] : count.ToString(CultureInfo.InvariantCulture) + "の";
            var things = count is >= 1 and <= 9 ? $"{number}の こと" : $"{number} ポイント";
            return kind switch
            {
                HookKinds.Question => $"{topic}について、 これ 知って いましたか？",
                HookKinds.Number => $"{topic}で だれも 教えて くれない {things}。",
                HookKinds.HowTo => $"{topic}を すばやく うまく やる 方法。",
                HookKinds.Pov => $"{topic}が ついに わかった 瞬間。",
                HookKinds.Imperative => $"{topic}が 気に なるなら、 スクロールを 止めて。",
                HookKinds.PersonalStory => $"{topic}を 実際に 試して みました。",
                HookKinds.SecondPerson => $"その {topic}、 実は まちがって いるかも。",
                HookKinds.Secret => $"だれも 話さない {topic}の ひみつ。",
                _ => $"{topic}について 知って おきたい こと。",
            };
        },
        "注意： {topic}に はまって 抜け出せなく なるかも。",
        (youTube, tikTok, room) => (youTube, tikTok, room) switch
        {
            (true, true, 0) => "フォローと 登録を。",
            (true, true, 1) => "フォローか チャンネル登録を お願いします。",
            (true, true, _) => "保存して あとで 見返して、 フォローか チャンネル登録を お願いします。",
            (true, false, 0) => "チャンネル登録を。",
            (true, false, 1) => "チャンネル登録を お願いします。",
            (true, false, _) => "役に たったら いいねと チャンネル登録を お願いします。",
            (false, _, 0) => "フォローを。",
            (false, _, 1) => "フォローを お願いします。",
            (false, _, _) => "保存して あとで 見返して、 フォローも お願いします。",
        },
        "{what}も 忘れずに。",
        LowerCaseTopic: false);

    public static ScriptTemplates Portuguese { get; } = new(
        "pt",
        [
            (["Esta é a versão curta de {topic}.", "Comece menor do que você imagina e vá crescendo aos poucos."], "Comece pequeno"),
            (["O maior erro com {topic} é querer fazer tudo de uma vez.", "Escolha uma coisa só e faça bem feito."], "Uma coisa de cada vez"),
            (["Dedique cinco minutos por dia durante uma semana.", "Constância vence intensidade todas as vezes."], "Cinco minutos por dia"),
            (["Anote o que você tentou e o que mudou.", "Progresso que você vê é progresso que você mantém."], "Anote seu progresso"),
            (["Copie o que já funciona.", "Os vídeos de {niche} em alta agora repetem o mesmo básico bem feito."], "Copie o que funciona"),
            (["Quando ficar difícil, diminua o passo em vez de desistir.", "Um passo pequeno também conta."], "Passos menores"),
            (["Esqueça o plano perfeito.", "Um bom plano que você segue de verdade é muito melhor."], "Bom vence perfeito"),
            (["Antes de começar, faça uma pergunta.", "Qual é o menor próximo passo com {topic}?"], "O próximo passo"),
            (["Deixe tudo pronto na noite anterior.", "De manhã não sobra nada para decidir."], "Prepare na véspera"),
            (["Conte para um amigo no que você está trabalhando.", "Falar em voz alta ajuda você a cumprir."], "Conte para alguém"),
            (["Confira como está depois de trinta dias.", "Quase todo mundo desiste logo antes dos resultados."], "Dê trinta dias"),
            (["Meça um único número que importa para {topic}.", "Ignore o resto até esse número se mexer."], "Meça um número"),
            (["Conte com um dia ruim.", "Decida agora o que fazer quando ele chegar e ele não vai te parar."], "Planeje os dias ruins"),
            (["O básico de {topic} importa mais do que qualquer truque avançado.", "Domine isso primeiro."], "Primeiro o básico"),
            (["Use uma lista simples.", "Ela segura você nos dias em que bate a preguiça."], "Use uma lista"),
            (["Comemore as pequenas vitórias.", "Elas dão energia enquanto os grandes resultados não chegam."], "Comemore o pequeno"),
            (["Não compare sua primeira semana com o quinto ano de outra pessoa.", "Vá no seu ritmo."], "Seu próprio ritmo"),
            (["Descansar também faz parte do plano.", "Uma pausa de propósito é melhor do que se esgotar sem querer."], "Descanse de propósito"),
            (["Lembre por que você começou.", "{Topic} é uma ferramenta para a vida que você quer, não uma prova."], "Lembre seu porquê"),
        ],
        [
            ("Quem assiste a isto também assiste a vídeos de {tag}.", "Também popular: {tag}"),
            ("Relacionado e em alta agora: {tag}.", "Em alta: {tag}"),
            ("Funciona igual para {tag}.", "Serve para {tag}"),
        ],
        (kind, topic, count) =>
        {
            var number = count <= 1 ? "Uma coisa" : $"{count.ToString(CultureInfo.InvariantCulture)} coisas";
            return kind switch
            {
                HookKinds.Question => $"Você sabia disto sobre {topic}?",
                HookKinds.Number => $"{number} sobre {topic} que ninguém te conta.",
                HookKinds.HowTo => $"Como acertar em {topic}, rápido.",
                HookKinds.Pov => $"POV: você finalmente entendeu {topic}.",
                HookKinds.Imperative => $"Pare de rolar se você se importa com {topic}.",
                HookKinds.PersonalStory => $"Eu testei {topic} para você não precisar.",
                HookKinds.SecondPerson => $"Você está fazendo {topic} errado.",
                HookKinds.Secret => $"O segredo de {topic} que ninguém comenta.",
                _ => $"Isto é o que você precisa saber sobre {topic}.",
            };
        },
        "Aviso: {topic} está prestes a virar sua nova obsessão favorita.",
        (youTube, tikTok, room) => (youTube, tikTok, room) switch
        {
            (true, true, 0) => "Siga e se inscreva.",
            (true, true, 1) => "Siga ou se inscreva para mais.",
            (true, true, _) => "Salve para depois, e siga ou se inscreva para mais.",
            (true, false, 0) => "Inscreva-se.",
            (true, false, 1) => "Inscreva-se para mais.",
            (true, false, _) => "Curta se ajudou, e inscreva-se para mais.",
            (false, _, 0) => "Siga.",
            (false, _, 1) => "Siga para mais.",
            (false, _, _) => "Salve para depois, e siga para mais.",
        },
        "E não esqueça {what}.",
        LowerCaseTopic: true);

    public static ScriptTemplates French { get; } = new(
        "fr",
        [
            (["Voici la version courte de {topic}.", "Commence plus petit que tu ne le penses, puis augmente petit à petit."], "Commence petit"),
            (["La plus grosse erreur avec {topic}, c'est de tout faire en même temps.", "Choisis une seule chose et fais-la bien."], "Une chose à la fois"),
            (["Consacre-y cinq minutes par jour pendant une semaine.", "La régularité bat l'intensité à chaque fois."], "Cinq minutes par jour"),
            (["Note ce que tu as essayé et ce qui a changé.", "Un progrès que tu vois est un progrès que tu gardes."], "Note tes progrès"),
            (["Copie ce qui marche déjà.", "Les vidéos {niche} qui cartonnent en ce moment répètent les mêmes bases."], "Copie ce qui marche"),
            (["Quand ça devient dur, fais un pas plus petit au lieu d'abandonner.", "Un tout petit pas compte aussi."], "Des pas plus petits"),
            (["Oublie le plan parfait.", "Un bon plan que tu suis vraiment vaut bien mieux."], "Bon plutôt que parfait"),
            (["Avant de commencer, pose-toi une question.", "Quelle est la plus petite prochaine étape pour {topic} ?"], "La prochaine étape"),
            (["Prépare tout la veille au soir.", "Le matin, tu n'auras plus rien à décider."], "Prépare la veille"),
            (["Dis à un ami sur quoi tu travailles.", "Le dire à voix haute t'aide à tenir parole."], "Parles-en à quelqu'un"),
            (["Fais le point après trente jours.", "La plupart des gens abandonnent juste avant les résultats."], "Donne-toi trente jours"),
            (["Mesure un seul chiffre qui compte pour {topic}.", "Ignore le reste jusqu'à ce que ce chiffre bouge."], "Un seul chiffre"),
            (["Attends-toi à une mauvaise journée.", "Décide maintenant quoi faire ce jour-là, et elle ne t'arrêtera pas."], "Prévois les mauvais jours"),
            (["Les bases de {topic} comptent plus que n'importe quelle astuce avancée.", "Maîtrise-les d'abord."], "Les bases d'abord"),
            (["Utilise une simple liste.", "Elle te tient les jours où tu n'as pas envie."], "Une simple liste"),
            (["Fête les petites victoires.", "Elles te portent en attendant les grands résultats."], "Fête les petites victoires"),
            (["Ne compare pas ta première semaine à la cinquième année de quelqu'un d'autre.", "Avance à ton rythme."], "Ton propre rythme"),
            (["Le repos fait partie du plan.", "Une pause voulue vaut mieux qu'un épuisement subi."], "Repose-toi exprès"),
            (["Souviens-toi pourquoi tu as commencé.", "{Topic} est un outil pour la vie que tu veux, pas un examen."], "Ton pourquoi"),
        ],
        [
            ("Ceux qui regardent ça regardent aussi des vidéos {tag}.", "Populaire aussi : {tag}"),
            ("Dans le même thème et tendance en ce moment : {tag}.", "Tendance : {tag}"),
            ("Ça marche aussi bien pour {tag}.", "Marche pour {tag}"),
        ],
        (kind, topic, count) =>
        {
            var number = count <= 1 ? "Une chose" : $"{count.ToString(CultureInfo.InvariantCulture)} choses";
            return kind switch
            {
                HookKinds.Question => $"Tu savais ça sur {topic} ?",
                HookKinds.Number => $"{number} sur {topic} que personne ne te dit.",
                HookKinds.HowTo => $"Comment réussir {topic}, vite.",
                HookKinds.Pov => $"POV : tu as enfin compris {topic}.",
                HookKinds.Imperative => $"Arrête de scroller si {topic} t'intéresse.",
                HookKinds.PersonalStory => $"J'ai testé {topic} pour que tu n'aies pas à le faire.",
                HookKinds.SecondPerson => $"Tu t'y prends mal avec {topic}.",
                HookKinds.Secret => $"Le secret de {topic} dont personne ne parle.",
                _ => $"Voici ce qu'il faut savoir sur {topic}.",
            };
        },
        "Attention : {topic} va devenir ta nouvelle obsession préférée.",
        (youTube, tikTok, room) => (youTube, tikTok, room) switch
        {
            (true, true, 0) => "Abonne-toi.",
            (true, true, 1) => "Abonne-toi pour la suite.",
            (true, true, _) => "Enregistre-la pour plus tard, et abonne-toi pour la suite.",
            (true, false, 0) => "Abonne-toi.",
            (true, false, 1) => "Abonne-toi pour la suite.",
            (true, false, _) => "Un pouce si ça t'a aidé, et abonne-toi pour la suite.",
            (false, _, 0) => "Suis-moi.",
            (false, _, 1) => "Suis-moi pour la suite.",
            (false, _, _) => "Enregistre-la pour plus tard, et suis-moi pour la suite.",
        },
        "Et n'oublie pas {what}.",
        LowerCaseTopic: true);

    public static ScriptTemplates German { get; } = new(
        "de",
        [
            (["Hier ist die Kurzfassung zu {topic}.", "Fang kleiner an, als du denkst, und steigere dich dann."], "Klein anfangen"),
            (["Der größte Fehler bei {topic} ist, alles auf einmal zu wollen.", "Such dir eine Sache aus und mach sie richtig."], "Eins nach dem anderen"),
            (["Gib dem Ganzen eine Woche lang fünf Minuten am Tag.", "Beständigkeit schlägt Intensität jedes Mal."], "Fünf Minuten am Tag"),
            (["Schreib auf, was du probiert hast und was sich geändert hat.", "Fortschritt, den du siehst, behältst du."], "Fortschritt notieren"),
            (["Kopier, was schon funktioniert.", "Die {niche} Videos, die gerade trenden, wiederholen dieselben Grundlagen."], "Kopier, was klappt"),
            (["Wenn es schwer wird, mach den Schritt kleiner, statt aufzugeben.", "Auch ein winziger Schritt zählt."], "Kleinere Schritte"),
            (["Vergiss den perfekten Plan.", "Ein guter Plan, den du wirklich durchziehst, ist viel besser."], "Gut statt perfekt"),
            (["Bevor du anfängst, stell dir eine Frage.", "Was ist der kleinste nächste Schritt bei {topic}?"], "Der nächste Schritt"),
            (["Bereite alles am Abend vorher vor.", "Am Morgen bleibt dann nichts mehr zu entscheiden."], "Am Vorabend vorbereiten"),
            (["Erzähl einem Freund, woran du arbeitest.", "Wer es laut sagt, zieht es eher durch."], "Erzähl es jemandem"),
            (["Zieh nach dreißig Tagen Bilanz.", "Die meisten hören kurz vor den Ergebnissen auf."], "Gib ihm dreißig Tage"),
            (["Miss eine einzige Zahl, die für {topic} zählt.", "Ignorier den Rest, bis sich diese Zahl bewegt."], "Eine Zahl messen"),
            (["Rechne mit einem schlechten Tag.", "Leg jetzt fest, was du dann tust, und er hält dich nicht auf."], "Schlechte Tage einplanen"),
            (["Die Grundlagen von {topic} zählen mehr als jeder Profi-Trick.", "Beherrsch die zuerst."], "Grundlagen zuerst"),
            (["Nutze eine einfache Checkliste.", "Sie hält dich an den Tagen bei der Stange, an denen du keine Lust hast."], "Eine Checkliste"),
            (["Feier kleine Erfolge.", "Sie tragen dich, bis die großen Ergebnisse kommen."], "Kleine Erfolge feiern"),
            (["Vergleich deine erste Woche nicht mit dem fünften Jahr von jemand anderem.", "Geh dein eigenes Tempo."], "Dein eigenes Tempo"),
            (["Pausen gehören zum Plan.", "Eine geplante Pause ist besser als ein ungeplanter Zusammenbruch."], "Bewusst pausieren"),
            (["Denk daran, warum du angefangen hast.", "{Topic} ist ein Werkzeug für das Leben, das du willst, keine Prüfung."], "Dein Warum"),
        ],
        [
            ("Wer das schaut, schaut auch Videos über {tag}.", "Auch beliebt: {tag}"),
            ("Passend dazu und gerade im Trend: {tag}.", "Im Trend: {tag}"),
            ("Es funktioniert genauso für {tag}.", "Klappt auch für {tag}"),
        ],
        (kind, topic, count) =>
        {
            var number = count <= 1 ? "Eine Sache" : $"{count.ToString(CultureInfo.InvariantCulture)} Dinge";
            return kind switch
            {
                HookKinds.Question => $"Wusstest du das über {topic}?",
                HookKinds.Number => $"{number} über {topic}, die dir keiner sagt.",
                HookKinds.HowTo => $"So klappt {topic} richtig, und zwar schnell.",
                HookKinds.Pov => $"POV: Du hast {topic} endlich verstanden.",
                HookKinds.Imperative => $"Hör auf zu scrollen, wenn dir {topic} wichtig ist.",
                HookKinds.PersonalStory => $"Ich habe {topic} getestet, damit du es nicht musst.",
                HookKinds.SecondPerson => $"Du machst {topic} falsch.",
                HookKinds.Secret => $"Das Geheimnis von {topic}, über das keiner spricht.",
                _ => $"Das solltest du über {topic} wissen.",
            };
        },
        "Achtung: {topic} wird gleich deine neue Lieblingsobsession.",
        (youTube, tikTok, room) => (youTube, tikTok, room) switch
        {
            (true, true, 0) => "Folgen und abonnieren.",
            (true, true, 1) => "Folg mir oder abonnier für mehr.",
            (true, true, _) => "Speicher das für später, und folg mir oder abonnier für mehr.",
            (true, false, 0) => "Abonnieren.",
            (true, false, 1) => "Abonnier für mehr.",
            (true, false, _) => "Lass ein Like da, wenn es geholfen hat, und abonnier für mehr.",
            (false, _, 0) => "Folgen.",
            (false, _, 1) => "Folg mir für mehr.",
            (false, _, _) => "Speicher das für später, und folg mir für mehr.",
        },
        "Und vergiss nicht: {what}.",
        // German capitalises nouns, so a topic keeps its case ("Krafttraining zu Hause").
        LowerCaseTopic: false);
}
