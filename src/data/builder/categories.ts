/**
 * Noise categories of the open corpus: every noise clip gets one, from ONE table of rules
 * (package, path pattern → category) applied in order, first match wins. The same table also
 * says which files of a v2 noise folder are not noise material at all (category null: game UI
 * blips, weapons, screams, music themes, spoken lines).
 *
 * The path a rule sees is the file's path inside its package ('usr/share/…'), or for archive
 * members `ARCHIVE#member` ('…/0snd.pk3#sound/ambience/fire.ogg', 'opensfx.cat#18_explosion.wav').
 * Patterns are case-insensitive. Rules for one package come before the keyword rules that apply
 * to all packages, and each v1 package ends with a catch-all, so every v1 clip has a category;
 * a v2 file that no rule matches stops the build (the table must say what each file is).
 *
 * Categories (issue 13):
 *   hum        stationary hum/drone/fan/ventilation/hiss
 *   machinery  workshops, mills, saws, pumps, factories, engines of machines
 *   traffic    vehicles: cars, trains, aircraft, ships, horns, sirens, city/distant traffic
 *   weather    wind, rain, thunder, water (rivers, waterfalls, waves, drips, bubbling)
 *   nature     birds, insects, animals, forest/day/night ambiences, farms
 *   crowd      babble, restaurant, market, tavern, stadium, applause
 *   radio      radio chatter, TV, public-address announcements, radio static (band-limited speech)
 *   music      music on hold, music loops, instruments
 *   impulsive  crashes, explosions, breaking glass/wood, doors, hits, clatter
 *   typing     single keystrokes (bucklespring: group NOISE_GROUP_KEYSTROKES, single events)
 *   domestic   household appliances (vacuum cleaner, washing machine, kettle, toilet, clock), cooking
 *   fire       fire, flames, lava, fuses
 *   alert      ringtones, notification sounds, bells, beeps
 */

/** The categories, in the order reports list them. */
export const NOISE_CATEGORIES = [
  'hum', 'machinery', 'traffic', 'weather', 'nature', 'crowd', 'radio', 'music', 'impulsive', 'typing', 'domestic', 'fire', 'alert',
] as const;
/** One of NOISE_CATEGORIES. */
export type NoiseCategory = (typeof NOISE_CATEGORIES)[number];

/** Categories made of (or dominated by) human speech: the "speech-like" noise of the targets. */
export const SPEECH_LIKE_CATEGORIES: readonly NoiseCategory[] = ['crowd', 'radio'];

/** Is `s` one of NOISE_CATEGORIES? */
export function isNoiseCategory(s: string): s is NoiseCategory {
  return (NOISE_CATEGORIES as readonly string[]).includes(s);
}

/** One rule: files of `pkg` ('*' = any package) whose path matches `path` are `category` (null: not noise material). */
export interface CategoryRule {
  pkg: string;
  path: RegExp;
  category: NoiseCategory | null;
}

const r = (pkg: string, path: RegExp, category: NoiseCategory | null): CategoryRule => ({ pkg, path, category });

/** The table. Order matters: first match wins. */
export const NOISE_CATEGORY_RULES: readonly CategoryRule[] = [
  // ---- v1 packages (SOURCES.md); each ends with a catch-all ----
  r('asterisk-moh-opsound-g722', /./, 'music'),
  r('etw-data', /./, 'crowd'),
  r('tuxfootball', /./, 'crowd'),
  r('lmms-common', /./, 'crowd'),
  r('openttd-opensfx', /cash_till|splat|crash|explosion|falling_tree|crashing_tree|bubble_(plop|slurped)|unused_nothing/, 'impulsive'),
  r('openttd-opensfx', /applause|oooh/, 'crowd'),
  r('openttd-opensfx', /morse|_beep/, 'alert'),
  r('openttd-opensfx', /good_year|bad_year/, 'music'),
  r('openttd-opensfx', /wind/, 'weather'),
  r('openttd-opensfx', /bird|lion|monkeys|sheep|_cow|horse/, 'nature'),
  r('openttd-opensfx', /sawmill|chainsaw|mining|jackhammer|factory|sugar_mine|toffee|plastic_mine|building_bridge|sparking|steam_of_steam|bubble_generated/, 'machinery'),
  r('openttd-opensfx', /./, 'traffic'), // trains, aircraft, buses, trucks, horns, ships, level crossing
  r('openclonk-data', /Environment\.ocg\/Birds/, 'nature'),
  r('openclonk-data', /Environment\.ocg\/Earthquake/, 'impulsive'),
  r('openclonk-data', /Environment\.ocg\//, 'weather'), // waterfall, wind, thunder
  r('openclonk-data', /Liquids\.ocg\//, 'weather'),
  r('openclonk-data', /Fire\.ocg\/(Blast|Cracker|Blowout|Spark)/, 'impulsive'),
  r('openclonk-data', /Fire\.ocg\//, 'fire'),
  r('openclonk-data', /Structures\.ocg\/FanLoop/, 'hum'),
  r('openclonk-data', /Structures\.ocg\/(Door|Hinge|Switch|Ejection|FinishBuilding)/, 'impulsive'),
  r('openclonk-data', /./, 'machinery'), // pumpjack, steam engine, sawmill, repair, wheels
  r('scorched3d-data', /carhorn|cessna|firetruck|helicopter|policecar|apache|f16|f18|\/jet|t38|rocket|para\.wav|citysounds/, 'traffic'),
  r('scorched3d-data', /factoryloop|nuclearloop/, 'machinery'),
  r('scorched3d-data', /cows|dog|moo|rooster|sheep|bats|bird|frogs|gull|wolf/, 'nature'),
  r('scorched3d-data', /rain|thunder|ocean|splash/, 'weather'),
  r('scorched3d-data', /lava/, 'fire'),
  r('scorched3d-data', /./, 'impulsive'),
  r('tuxpaint-stamps-default', /household\/(vacuum_cleaner|toilet|kettle|washing-machine)/, 'domestic'),
  r('tuxpaint-stamps-default', /\/animals\//, 'nature'),
  r('tuxpaint-stamps-default', /hobbies\/music\/|final-roll-call/, 'music'),
  r('tuxpaint-stamps-default', /vehicles\/|town\/roadsigns\//, 'traffic'),
  r('tuxpaint-stamps-default', /apollo_lander/, 'radio'),
  r('tuxpaint-stamps-default', /./, 'impulsive'),

  // ---- v2 packages (SOURCES-v2.md) ----
  r('bucklespring-data', /\.wav$/, 'typing'),
  // ufoai-sound 0snd.pk3: ambiences, breaking things, doors (the folders opened: openCorpus.ts).
  r('ufoai-sound', /(radiomessage|tv_newswav|aliencom|tv_static)\.ogg$/, 'radio'),
  r('ufoai-sound', /(disco|jingle2?)\.ogg$/, 'music'),
  r('ufoai-sound', /(sparks|sparks_short|creak|bloodspiderwalk)\.ogg$|\/misc\/break|\/doors\//, 'impulsive'),
  r('ufoai-sound', /\/misc\//, null), // UI sounds (popup, talk, lobby message, round start), electro zap
  r('ufoai-sound', /(fire\d*|firesoft|smallfire)\.ogg$/, 'fire'),
  r('ufoai-sound', /(thunder\d|water\d*|waterfontain|arcticwind|alienbase-bubbles)\.ogg$/, 'weather'),
  r('ufoai-sound', /(city_abnd_ufoai_atm|sand-city)\.ogg$/, 'traffic'),
  r('ufoai-sound', /(cricket_loop|ufo_night_atm)\.ogg$/, 'nature'),
  r('ufoai-sound', /(hum2?|droning_long|droning_short|lights_loop|alien-ventilation|alienenergy1|alienatmo)\.ogg$/, 'hum'),
  r('ufoai-sound', /(machine1|minepump03|wind_turbine|alienmachinery\d|alienpowermachinery1|alien-generator|alien-device|alien_engine|engine_alien_\w+|alienwormhole|steam)\.ogg$/, 'machinery'),
  // 0ad public.zip audio/ambient: farm (animals), port (harbour), trade (market with voices).
  r('0ad-data', /ambient\/building\/amb_trade/, 'crowd'),
  r('0ad-data', /ambient\/building\/amb_port/, 'traffic'),
  r('0ad-data', /ambient\/building\/amb_farm|ambient\/dayscape\//, 'nature'),
  r('0ad-data', /ambient\/(water|weather)\//, 'weather'),
  r('0ad-data', /actor\/fauna\/animal\//, 'nature'),
  r('0ad-data', /actor\/ship\//, 'traffic'),
  r('0ad-data', /resource\/construction\//, 'machinery'),
  r('0ad-data', /resource\//, 'impulsive'), // lumbering, mining, farming, gathering, foraging: strikes and rustles
  // nexuiz data.pk3 sound/ambient, sound/weather.
  r('nexuiz-data', /(rain_\d|water|demonwind\d+)\.ogg$/, 'weather'),
  r('nexuiz-data', /(machine\d|machinerydrone\d+)\.ogg$/, 'machinery'),
  r('nexuiz-data', /sparks\d?\.ogg$/, 'impulsive'),
  r('nexuiz-data', /(air|fan\d|transformer|ambient_\d+)\.ogg$/, 'hum'),
  r('megaglest-data', /tilesets\/hell\//, null), // fantasy hell ambience and a spoken "good morning"
  r('megaglest-data', /\/(rain|wind)\.(ogg|wav)$|water_sounds\//, 'weather'),
  r('megaglest-data', /tilesets\/\w+\/sounds\//, 'nature'), // day/night/forest ambiences, birds, wolves, chickens, cows
  r('redeclipse-data', /ambience\/(door|jumppad\d?|switch|teleport|wakawaka|morph\/door|morph\/outdoorsignal)\.ogg$/, null),
  r('redeclipse-data', /(cycadas|nightcrickets|forest\d)\.ogg$/, 'nature'),
  r('redeclipse-data', /distant_cars\.ogg$/, 'traffic'),
  r('redeclipse-data', /(fire|lava\d|lavarumble\d)\.ogg$/, 'fire'),
  r('redeclipse-data', /wind\d?\.ogg$|storm\w*\.ogg$|rain\.ogg$|cavedrip|creek|river|water|waterfall/, 'weather'),
  r('redeclipse-data', /(hum|electro|morph\/ambient\d+)\.ogg$/, 'hum'),
  r('redeclipse-data', /(vapour|pneumatic|machine\d*|criticalcore)\.ogg$/, 'machinery'),
  r('widelands-data', /sound\/(click|create_construction_site|lobby_\w+|message_\d+)\.ogg$|sound\/military\//, null),
  r('widelands-data', /sound\/animals\/|sound\/farm\/(donkey|farm_animal|horse|ox|sheep)|critters\/duck\//, 'nature'),
  r('widelands-data', /barbarians\/taverns\//, 'crowd'),
  r('widelands-data', /empire\/taverns\/|beerbubble|winebubble/, 'domestic'),
  r('widelands-data', /farm\/scythe|metal\/(fizzle|goldping|ironping)|other\/falling_tools|tree_falling|fisher\//, 'impulsive'),
  r('widelands-data', /\/sound\//, 'machinery'), // saws, sawmill, woodcutting, stonecutting, hammering, smiths, furnace, mill, weaving, grinding
  r('supertuxkart-data', /tracks\/cave\/beneath_the_rabbit_hole\.ogg$/, null), // SOURCES-v2.md: a copy of a recording used elsewhere
  r('supertuxkart-data', /lenautile_restaurant/, 'crowd'),
  r('supertuxkart-data', /sara_airport_pa|static-radio/, 'radio'),
  r('supertuxkart-data', /sfx\/(rain|river_loop|waterfall_loop_2|thunder|splash)\.ogg$/, 'weather'),
  r('supertuxkart-data', /exotic-birds|black_forest\/cow|scotland\/sheep/, 'nature'),
  r('supertuxkart-data', /airplane_jetEngine|car_accel|car_revup|engine_large|engine_small|sfx\/horn|skid\.ogg$|steamLocomotive/, 'traffic'),
  r('supertuxkart-data', /machine_sound/, 'machinery'),
  r('supertuxkart-data', /sfx\/clock/, 'domestic'),
  r('supertuxkart-data', /fireworks_show|sfx\/crash\d?\.ogg$|sfx\/explosion|sfx\/anvil|metal_clang|sfx\/hammer|sfx\/break/, 'impulsive'),
  r('supertuxkart-data', /./, null), // game effects (boing, nitro, portal, goal, fanfares…), music themes, a synthetic speech line
  r('unknown-horizons', /sounds\/(click|flippage|invalid|refresh|success)\.ogg$|sounds\/events\//, null),
  r('unknown-horizons', /(tavern|main_square)\.ogg$/, 'crowd'),
  r('unknown-horizons', /(chapel|ships_bell)\.ogg$/, 'alert'),
  r('unknown-horizons', /sheepfield\.ogg$/, 'nature'),
  r('unknown-horizons', /(lumberjack|lumberjack_long|build)\.ogg$/, 'impulsive'),
  r('unknown-horizons', /(windmill|smith|stonemason|warehouse)\.ogg$/, 'machinery'),
  r('lomiri-sounds', /camera\//, 'impulsive'),
  r('lomiri-sounds', /(ringtones|notifications)\//, 'alert'),
  r('sonic-pi-samples', /(ambi_drone|ambi_haunted_hum|ambi_soft_buzz|ambi_glass_hum|vinyl_hiss)\.flac$/, 'hum'),
  r('sonic-pi-samples', /(loop_3d_printer|loop_industrial)\.flac$/, 'machinery'),
  r('sonic-pi-samples', /misc_crow\.flac$/, 'nature'),
  r('sonic-pi-samples', /(perc_till|perc_door|perc_impact\d|misc_cineboom)\.flac$/, 'impulsive'),
  r('sonic-pi-samples', /mehackit_phone\d\.flac$/, 'alert'),
  r('sonic-pi-samples', /(ambi_choir|ambi_piano|loop_\w+)\.flac$/, 'music'),
  r('sonic-pi-samples', /./, null), // single drum/bass/synth hits, robot voices, whooshes, the rand-stream buffer
  r('torcs-data', /\/locked\.wav$/, null), // not audio: `file` says "data", sox finds no RIFF header
  r('torcs-data', /(crash\d?|bottom_crash|boom|backfire|gear_change1|clkdtmb2)\.wav$/, 'impulsive'),
  r('torcs-data', /\.wav$/, 'traffic'),
];

/**
 * The category of `path` of package `pkg` by NOISE_CATEGORY_RULES: a category, or null when the
 * file is not noise material. Throws when no rule matches (the table must cover every file).
 */
export function noiseCategoryOf(pkg: string, path: string): NoiseCategory | null {
  for (const rule of NOISE_CATEGORY_RULES) {
    if ((rule.pkg === '*' || rule.pkg === pkg) && new RegExp(rule.path.source, 'i').test(path)) return rule.category;
  }
  throw new Error(`no noise category rule matches ${pkg}:${path} (src/data/builder/categories.ts)`);
}
