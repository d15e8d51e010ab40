-- 0008_alert_rules.sql - the default alert rules, per use case (docs/alerts.md explains each one
-- and where its threshold comes from).
--
-- Seeded once: a rule that already exists keeps what the operators made of it (ON CONFLICT (name)
-- DO NOTHING), and a rule they deleted is not seeded again by this file, which runs only once.
-- Names are <use case>.<what>; titles and descriptions are in French, as the directorates read
-- them. A threshold is met when the value reaches it (above: >=, below: <=) and clears past the
-- hysteresis; durations are measurement time (the condition holds on samples spanning at least
-- duration_s, so 3600 s on an hourly sensor is two readings in a row).

---------------------------------------------------------------------------------------------------
-- waste: drop-off containers (Milesight EM310-UDL, Dingtek DF702); fill_level is derived from the
-- distance and the container's params.

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
VALUES ('waste.almost_full', 'waste', 'threshold', 'fill_level', 'above', 80, 20, 3600, 'info',
        'Conteneur presque plein',
        'Le conteneur est rempli à 80 % ou plus depuis deux relevés : à ajouter à la prochaine '
        'tournée de collecte. Se lève quand le remplissage redescend sous 60 % (conteneur vidé). '
        'Deux relevés de suite écartent un écho isolé (couvercle ouvert, sac posé sur le bord).')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
VALUES ('waste.full', 'waste', 'threshold', 'fill_level', 'above', 95, 25, 3600, 'warning',
        'Conteneur plein',
        'Le conteneur est plein (95 % ou plus sur deux relevés) : les usagers vont déposer à '
        'côté. Collecte à avancer. Se lève quand le remplissage redescend sous 70 %.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, escalate_after_s, title, description)
VALUES ('waste.fire_temperature', 'waste', 'threshold', 'temperature', 'above', 70, 15, 0,
        'critical', 600,
        'Température anormale dans un conteneur : feu possible',
        'La température mesurée dans le conteneur atteint 70 °C, bien au-delà de ce que le soleil '
        'd''été donne à l''intérieur d''un conteneur : un départ de feu est probable. Dès le '
        'premier relevé ; prévenir les pompiers (18) si la présence sur place le confirme. '
        'Escaladée si personne ne l''a prise en compte après 10 minutes. Se lève sous 55 °C.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, escalate_after_s, title, description)
VALUES ('waste.fire_alarm', 'waste', 'threshold', 'fire_alarm', 'above', 1, 0.5, 0, 'critical',
        600,
        'Alarme incendie d''un conteneur',
        'Le capteur du conteneur signale lui-même un feu (alarme de température du Dingtek '
        'DF702). Dès le premier relevé ; escaladée après 10 minutes sans prise en compte. Se lève '
        'quand le capteur retire son alarme.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
VALUES ('waste.tilted', 'waste', 'threshold', 'tilt', 'above', 1, 0.5, 3600, 'warning',
        'Conteneur renversé ou déplacé',
        'Le capteur se dit incliné hors de sa position de montage sur deux relevés de suite : '
        'conteneur renversé, déplacé ou capteur décroché. Un relevé seul ne suffit pas, le camion '
        'soulève le conteneur pour le vider. Les mesures de remplissage sont fausses tant qu''il '
        'est incliné.')
ON CONFLICT (name) DO NOTHING;

---------------------------------------------------------------------------------------------------
-- noise: sound level meters (Milesight WS302, Elsys ERS Sound), LAeq every 10 minutes.

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        active_from, active_to, severity, title, description)
VALUES ('noise.night_laeq', 'noise', 'threshold', 'LAeq', 'above', 70, 3, 3600, '22:00', '06:00',
        'warning',
        'Bruit nocturne élevé et durable',
        'Entre 22 h et 6 h, le niveau équivalent LAeq reste à 70 dB(A) ou plus pendant au moins '
        'une heure : rassemblement, fête, chantier ou livraison de nuit. L''OMS recommande un '
        'niveau nocturne moyen sous 40 dB(A) en façade (objectif intermédiaire 55 dB(A)) ; une '
        'heure à 70 dB(A) est un événement, pas un bruit de fond. Se lève sous 67 dB(A), ou à 6 h '
        'quand la nuit se termine.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, severity,
                        title, description)
VALUES ('noise.lnight', 'noise', 'daily', 'noise.lnight', 'above', 68, 5, 'warning',
        'Nuit exceptionnellement bruyante (Lnight)',
        'Le niveau moyen de la nuit écoulée (Lnight, 22 h - 6 h, directive européenne '
        '2002/49/CE) atteint 68 dB(A) : 6 dB au-dessus de la valeur limite française du bruit '
        'routier (62 dB(A), arrêté du 4 avril 2006), soit quatre fois son énergie sonore. La '
        'valeur limite vaut pour une moyenne annuelle, que bien des rues du centre dépassent une '
        'nuit ordinaire : l''alerte ne signale que les nuits hors norme. Évaluée chaque matin '
        'après 6 h ; se lève après une nuit sous 63 dB(A), une série de nuits bruyantes restant '
        'une seule alerte.')
ON CONFLICT (name) DO NOTHING;

---------------------------------------------------------------------------------------------------
-- water: level stations (Decentlab DL-MBX, DL-PR26) and quality probes (DL-CTD10); water_level
-- is derived from the sensor's params. The vigilance levels are each station's own, in its params
-- (vigilance_yellow_m, vigilance_orange_m, vigilance_red_m): a station without them is not
-- evaluated by these three rules.

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold_param, hysteresis,
                        duration_s, severity, title, description)
VALUES ('water.vigilance_yellow', 'water', 'threshold', 'water_level', 'above',
        'vigilance_yellow_m', 0.1, 900, 'info',
        'Cours d''eau : niveau de vigilance jaune',
        'La hauteur d''eau atteint le seuil jaune de la station (paramètre vigilance_yellow_m). '
        'Sur l''échelle de Vigicrues : débordements et dommages localisés possibles, ou montée '
        'rapide des eaux ; vigilance particulière pour les activités exposées. Deux relevés de '
        'suite ; se lève 10 cm sous le seuil.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold_param, hysteresis,
                        duration_s, severity, escalate_after_s, title, description)
VALUES ('water.vigilance_orange', 'water', 'threshold', 'water_level', 'above',
        'vigilance_orange_m', 0.1, 900, 'warning', 1800,
        'Cours d''eau : niveau de vigilance orange',
        'La hauteur d''eau atteint le seuil orange de la station (paramètre vigilance_orange_m). '
        'Sur l''échelle de Vigicrues : débordements importants, impact significatif sur la vie '
        'collective et la sécurité des biens et des personnes. Prévenir l''astreinte et les '
        'communes riveraines. Escaladée après 30 minutes sans prise en compte ; se lève 10 cm sous '
        'le seuil.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold_param, hysteresis,
                        duration_s, severity, escalate_after_s, title, description)
VALUES ('water.vigilance_red', 'water', 'threshold', 'water_level', 'above', 'vigilance_red_m',
        0.1, 900, 'critical', 900,
        'Cours d''eau : niveau de vigilance rouge',
        'La hauteur d''eau atteint le seuil rouge de la station (paramètre vigilance_red_m). Sur '
        'l''échelle de Vigicrues : crue majeure, menace directe et généralisée pour la sécurité '
        'des personnes et des biens. Plan communal de sauvegarde. Escaladée après 15 minutes sans '
        'prise en compte ; se lève 10 cm sous le seuil.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, window_s,
                        severity, title, description)
VALUES ('water.fast_rise', 'water', 'rate', 'water_level', 'above', 0.3, 0.1, 3600, 'warning',
        'Cours d''eau : montée rapide',
        'Le niveau a monté de 30 cm ou plus en une heure : sur ces petits fleuves côtiers une crue '
        'éclair passe de la vigilance jaune à l''orange en quelques heures, cette alerte devance '
        'les seuils. Se lève quand la montée sur l''heure redescend sous 20 cm.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
VALUES ('water.ph_low', 'water', 'threshold', 'ph', 'below', 6.0, 0.2, 1800, 'warning',
        'Qualité de l''eau : pH trop acide',
        'Le pH reste à 6,0 ou moins pendant 30 minutes : sous la limite du bon état des cours '
        'd''eau (pH 6,0 à 9,0, arrêté du 25 janvier 2010). Rejet acide possible. Se lève au-dessus '
        'de 6,2.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
VALUES ('water.ph_high', 'water', 'threshold', 'ph', 'above', 9.0, 0.2, 1800, 'warning',
        'Qualité de l''eau : pH trop basique',
        'Le pH reste à 9,0 ou plus pendant 30 minutes : au-delà de la limite du bon état des cours '
        'd''eau (arrêté du 25 janvier 2010). Rejet basique (béton, lessive) ou prolifération '
        'd''algues. Se lève sous 8,8.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
VALUES ('water.conductivity_high', 'water', 'threshold', 'conductivity', 'above', 2000, 100, 3600,
        'warning',
        'Qualité de l''eau : conductivité anormale',
        'La conductivité reste à 2 000 µS/cm ou plus pendant une heure : bien au-dessus du niveau '
        'naturel de la Touloubre (environ 800) et de la Cadière (environ 1 350), signe d''un rejet '
        'chargé en sels ou d''une remontée d''eau de l''étang de Berre. Se lève sous 1 900.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
VALUES ('water.turbidity_high', 'water', 'threshold', 'turbidity', 'above', 100, 20, 3600, 'info',
        'Qualité de l''eau : eau très trouble',
        'La turbidité reste à 100 NTU ou plus pendant une heure. Normal pendant une crue ; hors '
        'crue, signe d''un chantier, d''un curage ou d''un rejet en amont. Se lève sous 80 NTU.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, escalate_after_s, title, description)
VALUES ('water.oxygen_low', 'water', 'threshold', 'dissolved_oxygen', 'below', 4, 0.5, 1800,
        'warning', 3600,
        'Qualité de l''eau : oxygène dissous insuffisant',
        'L''oxygène dissous reste à 4 mg/L ou moins pendant 30 minutes : les poissons souffrent '
        '(bon état à partir de 6 mg/L, arrêté du 25 janvier 2010 ; 4 mg/L était le plancher des '
        'eaux cyprinicoles de la directive 2006/44/CE, reprise depuis par la directive-cadre sur '
        'l''eau). Risque de mortalité piscicole par temps chaud ou après un rejet organique. '
        'Escaladée après une heure sans prise en compte ; se lève au-dessus de 4,5 mg/L.')
ON CONFLICT (name) DO NOTHING;

---------------------------------------------------------------------------------------------------
-- lighting: cabinets (Milesight WS558) and lamp controllers (NAS UL20xx).

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, auto_resolve, title, description)
VALUES ('lighting.lamp_failure', 'lighting', 'threshold', 'lamp_failure*', 'above', 1, 0.5, 1800,
        'warning', false,
        'Luminaire en panne',
        'Le contrôleur du luminaire signale une panne de la lampe ou de son driver DALI sur deux '
        'relevés de suite. Le contrôleur ne voit la panne que lampe commandée allumée : le jour, '
        'le signal retombe sans que rien ne soit réparé, aussi l''alerte n''est-elle résolue qu''à '
        'la main, après l''intervention.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, severity,
                        auto_resolve, title, description)
VALUES ('lighting.lamp_error_alert', 'lighting', 'threshold', 'lamp_error_alert', 'above', 1, 0.5,
        'warning', false,
        'Luminaire : défaut signalé par le contrôleur',
        'Le contrôleur a envoyé une alerte de mesure électrique « lampe en défaut » (puissance '
        'consommée hors des bornes configurées dans le contrôleur). Ces alertes sont des '
        'événements : rien ne dit quand le défaut cesse, l''alerte est résolue à la main après '
        'vérification.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, model, kind, quantity, op, threshold, hysteresis,
                        severity, escalate_after_s, title, description)
VALUES ('lighting.cabinet_power_loss', 'lighting', 'milesight-ws558', 'threshold', 'voltage',
        'below', 200, 10, 'critical', 1800,
        'Armoire d''éclairage : perte d''alimentation',
        'La tension secteur mesurée dans l''armoire tombe à 200 V ou moins (-13 % de 230 V, '
        'au-delà de la tolérance de -10 % de la norme EN 50160) : disjonction, coupure réseau ou '
        'vol de câble. Toute la rue est éteinte la nuit, et les luminaires de l''armoire se '
        'taisent aussi. Escaladée après 30 minutes sans prise en compte ; se lève au-dessus de 210 V.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, severity,
                        auto_resolve, title, description)
VALUES ('lighting.under_voltage_alert', 'lighting', 'threshold', 'under_voltage_alert', 'above',
        1, 0.5, 'warning', false,
        'Luminaire : sous-tension signalée par le contrôleur',
        'Le contrôleur du luminaire a envoyé une alerte de sous-tension : alimentation dégradée '
        'sur le départ (câble, connexion, armoire). Événement ponctuel, résolu à la main après '
        'vérification.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
VALUES ('lighting.schedule_deviation', 'lighting', 'threshold', 'schedule_deviation', 'above', 20,
        10, 3600, 'warning',
        'Éclairage : programme non appliqué',
        'L''écart entre le niveau de gradation relevé sur le luminaire et celui de son programme '
        'reste de 20 points ou plus pendant une heure : la commande n''a pas été reçue ou le '
        'calendrier du contrôleur diverge. La grandeur schedule_deviation (écart en %) est publiée '
        'par mue-lighting (ticket 9) ; la règle reste muette tant que ce service ne tourne pas. Se '
        'lève sous 10 points.')
ON CONFLICT (name) DO NOTHING;

---------------------------------------------------------------------------------------------------
-- counting: bicycle and pedestrian counters (Parametric PCR2).

INSERT INTO alert_rule (name, use_case, kind, silence_factor, active_from, active_to, severity,
                        title, description)
VALUES ('counting.no_data', 'counting', 'no_data', 3, '07:00', '21:00', 'warning',
        'Compteur muet en journée',
        'Le compteur n''a rien envoyé depuis trois fois sa période de mesure, entre 7 h et 21 h : '
        'l''afficheur public est figé et les comptages du jour seront incomplets. La nuit, une '
        'panne attend le matin (personne n''intervient avant) : l''alerte s''ouvre à 7 h si le '
        'compteur est toujours muet, et se lève dès qu''il reparle.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, severity,
                        title, description)
VALUES ('counting.day_drop', 'counting', 'daily', 'counting.day_ratio', 'below', 0.3, 0.2,
        'warning',
        'Compteur : chute anormale des passages',
        'Hier, le compteur a vu moins de 30 % des passages habituels (moyenne du même jour de la '
        'semaine sur les quatre semaines précédentes, au moins deux connues) : capteur masqué ou '
        'déréglé, piste fermée ou en travaux. Une journée de forte pluie reste en général '
        'au-dessus. Se lève après une journée revenue à 50 % ou plus.')
ON CONFLICT (name) DO NOTHING;

---------------------------------------------------------------------------------------------------
-- heat: air temperature sensors (Elsys ERS).

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, severity,
                        title, description)
VALUES ('heat.hot_night', 'heat', 'daily', 'heat.tmin_night', 'above', 24, 1, 'warning',
        'Îlot de chaleur : nuit sans rafraîchissement',
        'La température n''est pas descendue sous 24 °C de la nuit (20 h - 8 h) : seuil de nuit '
        'de la vigilance canicule dans les Bouches-du-Rhône (Météo-France). Les personnes '
        'fragiles ne récupèrent pas ; ouvrir les lieux rafraîchis, prévenir le CCAS. Évaluée '
        'chaque matin après 8 h ; se lève après une nuit sous 23 °C.')
ON CONFLICT (name) DO NOTHING;

---------------------------------------------------------------------------------------------------
-- Every use case: silence and device health. A rule belongs to one use case, so each is seeded
-- for every use case whose devices it concerns (the mains-powered lighting has no battery; the
-- counters' silence is the daytime rule above).

INSERT INTO alert_rule (name, use_case, kind, silence_factor, severity, title, description)
SELECT uc || '.no_data', uc, 'no_data', 3, 'warning',
       'Capteur muet',
       'Le capteur n''a rien envoyé depuis trois fois sa période de mesure habituelle (trois '
       'heures pour un capteur horaire) : pile vide, capteur arraché ou masqué, passerelle hors '
       'service. Se lève au premier message reçu.'
FROM unnest(ARRAY['waste', 'noise', 'water', 'lighting', 'heat']) AS uc
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
SELECT uc || '.battery_low', uc, 'health', 'battery', 'below', 20, 5, 21600, 'warning',
       'Pile faible',
       'La charge de la pile est à 20 % ou moins depuis six heures (le froid fait baisser la '
       'lecture pour une nuit) : prévoir le remplacement dans les semaines qui viennent. Se lève '
       'au-dessus de 25 %.'
FROM unnest(ARRAY['waste', 'noise', 'water', 'counting', 'heat']) AS uc
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
SELECT uc || '.battery_voltage_low', uc, 'health', 'battery_voltage', 'below', 3.3, 0.1, 21600,
       'warning',
       'Tension de pile faible',
       'La tension de la pile lithium (3,6 V neuve) est à 3,3 V ou moins depuis six heures : ces '
       'piles gardent leur tension presque jusqu''au bout, puis chutent ; remplacement à prévoir '
       'rapidement. Se lève au-dessus de 3,4 V.'
FROM unnest(ARRAY['noise', 'water', 'heat']) AS uc
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, severity,
                        title, description)
VALUES ('waste.battery_low_flag', 'waste', 'health', 'battery_low', 'above', 1, 0.5, 'warning',
        'Pile faible (signalée par le capteur)',
        'Le capteur signale lui-même une pile faible (drapeau du Dingtek DF702, qui ne donne pas '
        'de pourcentage) : prévoir le remplacement. Se lève quand le drapeau retombe.')
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, severity, auto_resolve, title, description)
SELECT uc || '.fcnt_reset', uc, 'health', 'f_cnt', 'info', false,
       'Capteur redémarré',
       'Le compteur de trames LoRaWAN du capteur est revenu en arrière : le capteur a redémarré '
       '(changement de pile, coupure, chien de garde) ou a rejoint le réseau à nouveau. À vérifier '
       's''il se répète ; résolue à la main.'
FROM unnest(ARRAY['waste', 'noise', 'water', 'lighting', 'counting', 'heat']) AS uc
ON CONFLICT (name) DO NOTHING;

INSERT INTO alert_rule (name, use_case, kind, quantity, op, threshold, hysteresis, duration_s,
                        severity, title, description)
SELECT uc || '.poor_signal', uc, 'health', 'rssi', 'below', -120, 5, 3600, 'info',
       'Liaison radio faible',
       'Le signal reçu du capteur (RSSI à la meilleure passerelle) reste à -120 dBm ou moins '
       'pendant une heure : à la limite de réception, des trames se perdent. Antenne masquée, '
       'capteur déplacé, ou passerelle à ajouter. Se lève au-dessus de -115 dBm.'
FROM unnest(ARRAY['waste', 'noise', 'water', 'lighting', 'counting', 'heat']) AS uc
ON CONFLICT (name) DO NOTHING;
